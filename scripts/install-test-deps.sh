#!/usr/bin/env bash
# Installs the system tools some tests use (ffmpeg, chromium, redis-server, opentracker, node for the DHT
# interop test). Each is optional: a test whose tool is missing skips and says which tool it lacks.
set -uo pipefail
need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v redis-server >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: not root; install these yourself to run every test: ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

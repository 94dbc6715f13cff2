#!/usr/bin/env bash
# Installs the system tools some tests use: ffmpeg (publisher, real players), redis-server (shared tracker state),
# opentracker (a standard BEP 15 tracker), chromium (the dashboard in a real browser), and the pinned npm
# package bittorrent-dht (an independent Mainline DHT), and a sans-serif font for the simulator's plots (without one,
# ScottPlot draws no text). Each is optional: a test whose tool is missing skips and
# says which tool it lacks.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v redis-server >/dev/null || need+=(redis-server)
command -v opentracker >/dev/null || need+=(opentracker)
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(nodejs npm)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
status=0
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: not root; install these yourself to run every test: ${need[*]}" >&2
    status=1
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || status=1
  fi
fi
if command -v npm >/dev/null && [ ! -d "$root/tests/interop/dht/node_modules" ]; then
  npm ci --prefix "$root/tests/interop/dht" --no-audit --no-fund --silent >/dev/null 2>&1 || status=1
fi
exit $status

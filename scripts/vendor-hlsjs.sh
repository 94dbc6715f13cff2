#!/usr/bin/env bash
# Reproduces the vendored hls.js player library that the node's dashboard (/ui) embeds, so the page needs no
# download at run time and a fresh machine needs no Node.js. Run by hand only to upgrade the pinned version.
set -euo pipefail
version="${1:-1.6.15}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "hls.js@$version" --silent >/dev/null && tar xzf "hls.js-$version.tgz")
dest="$root/src/Shoal.Node/Dashboard/wwwroot/vendor"
cp "$work/package/dist/hls.light.min.js" "$dest/hls.light.min.js"
cp "$work/package/LICENSE" "$dest/hls.js.LICENSE"
echo "hls.js $version vendored into $dest"

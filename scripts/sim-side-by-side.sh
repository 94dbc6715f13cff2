#!/usr/bin/env bash
# Compares the flow simulator's cost at two commits by running both at once on the same machine.
#
#   scripts/sim-side-by-side.sh [--json] [--pairs N] BASE [SCENARIO] [DURATION_S]
#
# BASE is any git revision (e.g. HEAD~3, a commit id); the other side is the working tree as it is. Both are built in
# Release into temporary folders, then each pair of runs starts together, so both see the same machine: on a shared
# machine the same binary can take a third longer from one hour to the next, and only runs side by side compare.
# Reports each run's CPU and wall seconds, its trace hash (equal hashes: the same history), and the ratio of CPU
# seconds (working tree / base). Defaults: scenarios/live-10k.json, 120 s, 2 pairs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

json=false
pairs=2
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=true ;;
    --pairs) pairs="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ ${#args[@]} -lt 1 ]; then
  echo "usage: $0 [--json] [--pairs N] BASE [SCENARIO] [DURATION_S]" >&2
  exit 2
fi
base="${args[0]}"
scenario="${args[1]:-scenarios/live-10k.json}"
duration="${args[2]:-120}"
git rev-parse --verify --quiet "$base^{commit}" > /dev/null || { echo "not a commit: $base" >&2; exit 2; }
[ -f "$scenario" ] || { echo "no such scenario file: $scenario" >&2; exit 2; }
case "$pairs" in ''|*[!0-9]*|0) echo "--pairs wants a positive number" >&2; exit 2 ;; esac

work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base-src" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
echo "building $base and the working tree (Release)..." >&2
git worktree add --detach --quiet "$work/base-src" "$base"
dotnet build "$work/base-src/src/Shoal.Cli/Shoal.Cli.csproj" -c Release -o "$work/base" > "$work/build-base.log" 2>&1 \
  || { echo "the build of $base failed: $work/build-base.log" >&2; tail -20 "$work/build-base.log" >&2; exit 1; }
dotnet build src/Shoal.Cli/Shoal.Cli.csproj -c Release -o "$work/head" > "$work/build-head.log" 2>&1 \
  || { echo "the build of the working tree failed" >&2; tail -20 "$work/build-head.log" >&2; exit 1; }

# One timed run: "wall user sys" on the first line of $2.times, the JSON report in $2.json.
run() {
  local bin="$1" out="$2"
  TIMEFORMAT='%R %U %S'
  { time dotnet "$bin/shoal.dll" sim "$scenario" --duration "$duration" --json > "$out.json" 2> "$out.err"; } 2> "$out.times"
}
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { printf "%." d "f", a / b }'; }
trace_of() { grep -o '"trace_hash": *"[0-9a-f]*"' "$1" | head -1 | grep -o '[0-9a-f]\{16\}' || echo "none"; }

rows=()
for p in $(seq 1 "$pairs"); do
  echo "pair $p of $pairs: both runs of $scenario over $duration s at once..." >&2
  run "$work/base" "$work/base-$p" &
  run "$work/head" "$work/head-$p" &
  wait
  read -r bw bu bs < "$work/base-$p.times"
  read -r hw hu hs < "$work/head-$p.times"
  rows+=("$p $bw $(sum "$bu" "$bs") $(trace_of "$work/base-$p.json") $hw $(sum "$hu" "$hs") $(trace_of "$work/head-$p.json")")
done

if $json; then
  printf '{"base":"%s","scenario":"%s","duration_s":%s,"pairs":[' "$(git rev-parse --short "$base")" "$scenario" "$duration"
  sep=""
  for row in "${rows[@]}"; do
    read -r p bw bc bt hw hc ht <<< "$row"
    printf '%s{"pair":%s,"base":{"wall_s":%s,"cpu_s":%s,"trace":"%s"},"head":{"wall_s":%s,"cpu_s":%s,"trace":"%s"},"cpu_ratio":%s}' \
      "$sep" "$p" "$bw" "$bc" "$bt" "$hw" "$hc" "$ht" "$(ratio "$hc" "$bc" 4)"
    sep=","
  done
  printf ']}\n'
else
  printf '%-5s %10s %10s %-17s %10s %10s %-17s %9s\n' pair "base wall" "base CPU" "base trace" "head wall" "head CPU" "head trace" "CPU ratio"
  for row in "${rows[@]}"; do
    read -r p bw bc bt hw hc ht <<< "$row"
    printf '%-5s %10s %10s %-17s %10s %10s %-17s %9s\n' "$p" "$bw" "$bc" "$bt" "$hw" "$hc" "$ht" "$(ratio "$hc" "$bc" 3)"
  done
fi

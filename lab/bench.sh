#!/usr/bin/env bash
# lab/bench.sh — measures the lab and prints a markdown section (also written
# to $CACHE/logs/lab-bench.md) and the figures as JSON to bench/lab.json,
# which `npm run bench` folds into bench/results.json:
#   - cold build time per component (recorded by lab/build.sh in build-times.tsv)
#   - warm lab:up: lab:down, then lab:up until node Ready + DNS + metrics
#   - idle memory: summed RSS of the lab's processes (daemons + shims + pods)
# Usage: sudo lab/bench.sh [--no-restart]   (--no-restart: only measure memory)
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

out="$CACHE/logs/lab-bench.md"
{
  echo "## lab benchmark ($(date -u +%FT%TZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r))"
  echo
  echo "### cold build (from \`$CACHE/logs/build-times.tsv\`, last run per component)"
  echo
  echo "| component | seconds |"
  echo "|---|---|"
  if [ -f "$CACHE/logs/build-times.tsv" ]; then
    # key without the recipe hash; the slowest recorded build is the cold one
    awk -F'\t' '{ k = $2; sub(/-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+$/, "", k); v = $3 + 0; if (v > t[k]) t[k] = v } END { for (k in t) printf "| %s | %d |\n", k, t[k] }' "$CACHE/logs/build-times.tsv" | sort
  fi
} > "$out"

if [ "${1:-}" != "--no-restart" ]; then
  bash "$LAB_DIR/down.sh" > "$CACHE/logs/lab-bench-down.log" 2>&1
  t0=$(date +%s.%N)
  bash "$LAB_DIR/up.sh" > "$CACHE/logs/lab-bench-up.log" 2>&1 || { tail -n 30 "$CACHE/logs/lab-bench-up.log"; die "lab:up failed during the benchmark"; }
  t1=$(date +%s.%N)
  warm_up_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
  {
    echo
    echo "### warm lab:up (cache filled, state kept from the previous run)"
    echo
    echo "- total: $warm_up_s s"
    grep -E 'apiserver ready|node Ready|DNS answers|metrics available|lab is up' "$CACHE/logs/lab-bench-up.log" | sed 's/^\[lab [0-9:]*\] /- /'
  } >> "$out"
fi

sleep "${LAB_BENCH_SETTLE:-30}"   # let start-up spikes settle before measuring idle memory
{
  echo
  echo "### idle memory (RSS, after ${LAB_BENCH_SETTLE:-30}s idle)"
  echo
  echo "| process | MiB |"
  echo "|---|---|"
  total=0; mem_json=""
  for c in etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    if is_running "$c"; then
      kb=$(tree_rss_kb "$(cat "$(pidfile "$c")")")
      [ "$c" = containerd ] && kb=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$(pidfile "$c")")/status")
      total=$((total + kb)); echo "| $c | $((kb / 1024)) |"; mem_json="$mem_json\"$c\":$((kb / 1024)),"
    fi
  done
  mapfile -t shims < <(lab_shim_pids)
  kb=0; [ ${#shims[@]} -eq 0 ] || kb=$(tree_rss_kb "${shims[@]}")
  total=$((total + kb))
  echo "| pods + shims (${#shims[@]} shims) | $((kb / 1024)) |"
  echo "| **total** | **$((total / 1024))** |"
  echo "{${mem_json}\"podsAndShims\":$((kb / 1024)),\"total\":$((total / 1024))}" > "$CACHE/logs/lab-bench-mem.json"
} >> "$out"
cat "$out"

# bench/lab.json: the same figures for bench/results.json (cold builds grouped:
# the lab itself, the platform images of `npm run verify`, the test components)
cold="{}"
if [ -f "$CACHE/logs/build-times.tsv" ]; then
  cold="$(awk -F'\t' '{ k = $2; sub(/-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+$/, "", k); v = $3 + 0; if (v > t[k]) t[k] = v } END { for (k in t) printf "%s\t%d\n", k, t[k] }' "$CACHE/logs/build-times.tsv" |
    jq -Rn '[inputs | split("\t") | {key: .[0], value: (.[1] | tonumber)}] | from_entries')"
fi
warm_steps="$(grep -E 'apiserver ready|node Ready|DNS answers|metrics available|lab is up' "$CACHE/logs/lab-bench-up.log" 2>/dev/null | sed 's/^\[lab [0-9:]*\] //' | jq -Rn '[inputs]')"
if [ -z "${warm_up_s:-}" ] && [ -f "$REPO_DIR/bench/lab.json" ]; then
  # --no-restart: keep the last measured warm start instead of forgetting it
  warm_up_s="$(jq -r '.warmLabUpSeconds | numbers' "$REPO_DIR/bench/lab.json")"
  [ -n "$warm_up_s" ] && warm_steps="$(jq -c '.warmLabUpSteps' "$REPO_DIR/bench/lab.json")"
fi
lab_images="$(IFS='|'; echo "${LAB_IMAGES[*]}")"
platform_images="$(IFS='|'; echo "${PLATFORM_IMAGES[*]}")"
jq -n --arg at "$(date -u +%FT%TZ)" --arg labImages "$lab_images" --arg platformImages "$platform_images" --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)" \
  --argjson cold "$cold" --arg warm "${warm_up_s:-}" --argjson steps "${warm_steps:-[]}" \
  --argjson mem "$(cat "$CACHE/logs/lab-bench-mem.json")" '{
    measuredAt: $at, machine: $machine,
    coldBuildSecondsByComponent: $cold,
    coldBuildSecondsTotal: ($cold | [.[]] | add),
    coldBuildSecondsByPart: {
      lab: ($cold | to_entries | map(select(.key | test("^(k8s-|img-(" + $labImages + ")-)"))) | map(.value) | add),
      platformImages: ($cold | to_entries | map(select(.key | test("^img-(" + $platformImages + ")-"))) | map(.value) | add),
      components: ($cold | to_entries | map(select(.key | test("^(k8s-|img-)") | not)) | map(.value) | add)
    },
    warmLabUpSeconds: (if $warm == "" then "not measured (--no-restart)" else ($warm | tonumber) end),
    warmLabUpSteps: $steps, warmLabUpTargetSeconds: 60,
    idleMemoryMiB: $mem
  }' > "$REPO_DIR/bench/lab.json"
log "figures written to bench/lab.json"

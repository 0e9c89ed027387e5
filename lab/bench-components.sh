#!/usr/bin/env bash
# lab/bench-components.sh — the platform components of the lab (data services,
# Alertmanager and its webhook sink, Traefik, the Sealed Secrets controller):
# cold build time (from $CACHE/logs/build-times.tsv, the slowest recorded build
# of each) and idle memory (metrics.k8s.io working set of each component's pods
# after LAB_BENCH_SETTLE seconds, default 60) into bench/lab.json under
# "platformComponents". Deploys each from its lab fixture into a namespace of
# its own and deletes it afterwards. extra-nodes: lab/nodes.sh's two nodes, their
# start time and per-node kubelet + containerd memory. Needs the lab running.
#   bash lab/bench-components.sh [component ...]
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
export PATH="$REPO_DIR/node_modules/.bin:$PATH"
is_running kube-apiserver || die "the lab is not running" "npm run lab:up"

# component -> "fixture|pod label selector|build-times keys (extended regex)"
declare -A WHAT=(
  [postgresql]="fixtures/lab/postgresql.yaml|app=postgresql|^img-postgresql-"
  [redis]="fixtures/lab/redis.yaml|app=redis|^img-redis-"
  [nats]="fixtures/lab/nats.yaml|app=nats|^img-nats-"
  [alertmanager]="fixtures/lab/alertmanager.yaml|app=alertmanager|^(img-alertmanager-|alertmanager-)"
  [webhook-sink]="fixtures/lab/alertmanager.yaml|app=webhook-sink|^img-webhook-sink-"
  [traefik]="fixtures/lab/ingress-traefik.yaml|app.kubernetes.io/name=traefik|^img-traefik-"
  [sealed-secrets-controller]="lab/manifests/optional/sealed-secrets.yaml|name=sealed-secrets-controller|^(img-sealed-secrets-controller-|kubeseal-)"
  [helm]="||^helm-"
  [extra-nodes]="||"
)
components=("$@")
[ ${#components[@]} -gt 0 ] || components=(postgresql redis nats alertmanager webhook-sink traefik sealed-secrets-controller helm extra-nodes)
settle="${LAB_BENCH_SETTLE:-60}"

cold_of() { # cold_of <regex>: the slowest recorded build of each matching key, summed
  [ -f "$CACHE/logs/build-times.tsv" ] || { echo null; return; }
  awk -F'\t' -v re="$1" '{ k = $2; sub(/-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+$/, "", k); if (k ~ re) { v = $3 + 0; if (v > t[k]) t[k] = v } }
    END { n = 0; s = 0; for (k in t) { n++; s += t[k] } if (n) print s; else print "null" }' "$CACHE/logs/build-times.tsv"
}

ns=kp-bench-components
result="{}"
for c in "${components[@]}"; do
  [ -n "${WHAT[$c]+x}" ] || die "unknown component $c" "choose from: ${!WHAT[*]}"
  if [ "$c" = extra-nodes ]; then
    # No build of their own (the lab's Kubernetes build): the time from none to two Ready extra nodes,
    # their images imported afresh, and each node's kubelet + containerd memory (RSS) after the settle time.
    bash "$LAB_DIR/nodes.sh" down > /dev/null
    rm -rf "$STATE"/nodes/kubeproof-lab-*/imported
    t0=$(date +%s.%N)
    bash "$LAB_DIR/nodes.sh" up 2 > /dev/null
    start="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')"
    log "$c: 2 nodes Ready in ${start}s; idle for ${settle}s"
    sleep "$settle"
    rss=0
    for n in kubeproof-lab-2 kubeproof-lab-3; do
      for d in kubelet containerd; do rss=$((rss + $(tree_rss_kb "$(cat "$(pidfile "$d-$n")")"))); done
    done
    mem=$((rss / 2 / 1024))
    bash "$LAB_DIR/nodes.sh" down > /dev/null
    log "$c: 2 nodes up in ${start}s, ${mem} MiB per node (kubelet + containerd)"
    result="$(jq --argjson start "$start" --argjson mem "$mem" '. + {"extra-nodes": {coldBuildSeconds: 0, startSeconds: $start, idleMemoryMiB: $mem, note: "per node: kubelet + containerd RSS; no build of their own; start = nodes.sh up 2 with image imports"}}' <<< "$result")"
    continue
  fi
  IFS='|' read -r fixture selector keys <<< "${WHAT[$c]}"
  cold="$(cold_of "$keys")"
  mem=null
  if [ -n "$fixture" ] && [ -f "$REPO_DIR/$fixture" ]; then
    where="$ns"
    case "$fixture" in lab/manifests/optional/*) where=kube-system ;; esac # cluster add-ons run where their manifest says
    if [ "$where" = "$ns" ]; then
      kc create namespace "$ns" --dry-run=client -o yaml | kc apply -f - > /dev/null
      sed -e "s/\${NAMESPACE}/$ns/g" -e "s/\${IMAGE_PULL_POLICY}/IfNotPresent/g" "$REPO_DIR/$fixture" | kc apply -n "$ns" -f - > /dev/null
    else
      kc apply --server-side --field-manager=kubeproof -f "$REPO_DIR/$fixture" > /dev/null # as the scenarios install it
    fi
    kc wait -n "$where" --for=condition=Ready pod -l "$selector" --timeout=180s > /dev/null || warn "$c: pods not Ready within 180s"
    log "$c: Ready; idle for ${settle}s"
    sleep "$settle"
    # working set of the component's pods (what kubectl top shows), in MiB
    mem="$(kc get --raw "/apis/metrics.k8s.io/v1beta1/namespaces/$where/pods?labelSelector=$selector" |
      jq '[.items[].containers[].usage.memory | capture("(?<n>[0-9]+)(?<u>[A-Za-z]*)") |
           (.n | tonumber) * ({"Ki": 1024, "Mi": 1048576, "Gi": 1073741824, "": 1}[.u] // 1)] | if length == 0 then null else (add / 1048576 | floor) end')"
    [ "$where" = "$ns" ] && kc delete namespace "$ns" --wait=true > /dev/null
  fi
  log "$c: cold build ${cold}s, idle memory ${mem} MiB"
  result="$(jq --arg c "$c" --argjson cold "$cold" --argjson mem "$mem" '. + {($c): {coldBuildSeconds: $cold, idleMemoryMiB: $mem}}' <<< "$result")"
done
[ -f "$REPO_DIR/bench/lab.json" ] || echo '{}' > "$REPO_DIR/bench/lab.json"
jq --argjson r "$result" --arg at "$(date -u +%FT%TZ)" --argjson settle "$settle" \
  '.platformComponents = ((.platformComponents // {}) + $r) | .platformComponentsMeasuredAt = $at |
   .platformComponentsMethod = "cold build: slowest recorded build per key in build-times.tsv (image and CLI); idle memory: metrics.k8s.io working set of the pods after \($settle)s idle"' \
  "$REPO_DIR/bench/lab.json" > "$REPO_DIR/bench/lab.json.tmp" && mv "$REPO_DIR/bench/lab.json.tmp" "$REPO_DIR/bench/lab.json"
log "figures written to bench/lab.json (platformComponents)"

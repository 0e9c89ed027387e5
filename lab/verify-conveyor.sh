#!/usr/bin/env bash
# verify-conveyor.sh — kubeproof's main job (`npm run verify`): verify the
# conveyor-pipeline platform (milestones M1–M11) on the lab.
#
#   1. lab/build.sh                 lab components and images (idempotent)
#   2. platform images              kafka influxdb prometheus loki promtail producer processor,
#                                   rebuilt when their recipe or the service's sources change
#   3. lab/up.sh                    start the lab if needed; imports new image tarballs
#   4. credentials + TLS material   kept in the lab state, copied into manifests/overlays/lab/ (git-ignored; see ensure_credentials, ensure_service_tls)
#   5. kubectl apply -k manifests/overlays/lab   (server-side)
#   6. wait for every rollout       (bounded; says what it waited for and why it failed)
#   7. npx cucumber-js -p m1 … -p m11   with KUBECONFIG and KUBEPROOF_* pointing at the platform;
#                                   one report per milestone (reports/mN.html) and reports/index.html
#
# Usage: lab/verify-conveyor.sh [--platform conveyor|NAME] [--no-run] [--milestones "1 2 3"] [--overlay DIR] [--rollout-timeout SECONDS] [-- CUCUMBER-ARGS...]
#   --no-run   deploy and wait only; print the environment for running features by hand
#   --milestones  which milestone profiles to run (default: 1 … 11)
#   --overlay  kustomize overlay to apply (default manifests/overlays/lab: M7+M8 final state)
#   --allow-not-verified  exit 0 when no criterion failed, even if some were not verified (CI on the lab)
# Exit status: 0 only when every milestone run passed (a criterion failed or
# not verified makes it 1); non-zero as well when a step before them failed.
set -euo pipefail
# `npm run verify -- --platform <name>`: the other platforms have their own script.
if [ "${1:-}" = --platform ]; then
  [ -n "${2:-}" ] || { echo "--platform needs a name (conveyor, or one of lab/platforms/*.sh)" >&2; exit 2; }
  if [ "$2" != conveyor ]; then name="$2"; shift 2; exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-platform.sh" "$name" "$@"; fi
  shift 2
fi
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=pki.sh
source "$LAB_DIR/pki.sh"
# shellcheck source=platform-lib.sh
source "$LAB_DIR/platform-lib.sh"

NS=conveyor-pipeline
FIELD_MANAGER=kubeproof-conveyor
LAB_OVERLAY="$REPO_DIR/manifests/overlays/lab"   # credentials and InfluxDB TLS live here (every lab overlay builds on it)
OVERLAY="$LAB_OVERLAY"
RUN_FEATURES=1
ROLLOUT_TIMEOUT=300
CUKE_ARGS=()
MILESTONES="1 2 3 4 5 6 7 8 9 10 11"
ALLOW_NOT_VERIFIED=0

while [ $# -gt 0 ]; do
  case "$1" in
    --no-run) RUN_FEATURES=0 ;;
    --milestones) MILESTONES="$2"; shift ;;
    --milestones=*) MILESTONES="${1#*=}" ;;
    --overlay) OVERLAY="$(cd "$2" && pwd)"; shift ;;
    --overlay=*) OVERLAY="$(cd "${1#*=}" && pwd)" ;;
    --rollout-timeout) ROLLOUT_TIMEOUT="$2"; shift ;;
    --allow-not-verified) ALLOW_NOT_VERIFIED=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; CUKE_ARGS=("$@"); break ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

# "m7 m8", "7,8" and "7 8" all mean milestones 7 and 8; anything else is a typo.
MILESTONES="$(tr ',' ' ' <<<"$MILESTONES" | sed -E 's/(^| )[mM]/\1/g')"
for m in $MILESTONES; do
  [[ "$m" =~ ^([1-9]|1[01])$ ]] || die "--milestones: \"$m\" is not a milestone (1-11, e.g. --milestones \"6 9\")"
done

T0=$(date +%s)
step() { log "[$(( $(date +%s) - T0 ))s] $*"; }
export KUBECONFIG="$KUBECONFIG_LAB"

# ------------------------------------------------------------- secrets
# secrets.env: the InfluxDB credentials. InfluxDB creates its users only on
# its first start, into its volume, which lives in the lab's state directory
# and outlives any checkout. So the credentials live there too
# ($STATE/platform/influxdb-credentials.env, purged with the volume by
# `lab/down.sh --purge`) and are copied into this checkout's overlay: a fresh
# clone reuses them instead of inventing a password the volume does not know.
# Bootstrap order: the lab's copy, this checkout's older secrets.env, the
# cluster's Secret, random new ones.
ensure_credentials() {
  local f="$LAB_OVERLAY/secrets.env" kept="$STATE/platform/influxdb-credentials.env" from_cluster
  mkdir -p "$STATE/platform"
  if [ ! -s "$kept" ]; then
    if [ -s "$f" ]; then
      cp "$f" "$kept.tmp"
    else
      from_cluster="$(kc -n "$NS" get secret influxdb-credentials -o json 2>/dev/null |
        jq -r '.data // {} | to_entries[] | "\(.key)=\(.value | @base64d)"' 2>/dev/null || true)"
      if [ -n "$from_cluster" ]; then
        step "keeping the cluster's Secret $NS/influxdb-credentials as the lab's InfluxDB credentials"
        (umask 077; printf '%s\n' "$from_cluster" > "$kept.tmp")
      else
        step "generating InfluxDB credentials -> $kept"
        (umask 077
          printf 'INFLUXDB_ADMIN_USER=admin\nINFLUXDB_ADMIN_PASSWORD=%s\nINFLUXDB_USER=conveyor\nINFLUXDB_USER_PASSWORD=%s\n' \
            "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" > "$kept.tmp")
      fi
    fi
    chmod 600 "$kept.tmp" && mv "$kept.tmp" "$kept"
  fi
  cmp -s "$kept" "$f" || (umask 077; cp "$kept" "$f.tmp" && mv "$f.tmp" "$f")
}

# service_tls <service> <server|both>: tls/<service>/ with a CA and the
# service's certificate for the names clients use (<service>, <service>.<ns>,
# ….svc, ….svc.cluster.local, the pod's headless name, localhost). RSA 2048
# and 825 days: the longest lifetime TLS clients accept for a server certificate.
service_tls() {
  local svc="$1" d="$LAB_OVERLAY/tls/$1" PKI_KEY=rsa PKI_DAYS=825
  mkdir -p "$d"
  rm -f "$d/ca.key" "$d/ca.crt" "$d/ca.srl" "$d/tls.key" "$d/tls.crt"
  pki_ca "$d" ca "/O=kubeproof lab/CN=conveyor-pipeline $svc CA"
  pki_cert "$d" tls ca "/O=kubeproof lab/CN=$svc.$NS.svc" "$2" \
    "DNS:$svc,DNS:$svc.$NS,DNS:$svc.$NS.svc,DNS:$svc.$NS.svc.cluster.local,DNS:$svc-0.$svc-headless.$NS.svc.cluster.local,DNS:localhost,IP:127.0.0.1"
}

# TLS material: like the credentials, kept in the lab's state
# ($STATE/platform/tls/<service>/) and copied into this checkout's overlay, so a
# fresh clone deploys the certificates already running instead of new ones that
# would roll every server and client (and leave handshake errors of the
# replaced clients behind); regenerated when missing or within 7 days of expiry.
TLS_RENEWED=""
# ensure_service_tls <service> <server|both> <file the overlay needs>
ensure_service_tls() {
  local svc="$1" d="$LAB_OVERLAY/tls/$1" kept="$STATE/platform/tls/$1"
  tls_usable() { [ -s "$1/tls.key" ] && [ -s "$1/ca.crt" ] && [ -s "$1/$2" ] && pki_valid "$1/tls.crt" 7; }
  if ! tls_usable "$d" "$3" && tls_usable "$kept" "$3"; then
    step "reusing the lab's $svc CA and certificate ($kept) -> ${d#"$REPO_DIR"/} (git-ignored)"
    rm -rf "$d" && mkdir -p "$(dirname "$d")" && cp -a "$kept" "$d"
  fi
  if ! tls_usable "$d" "$3"; then
    step "generating the $svc CA and certificate -> ${d#"$REPO_DIR"/} (git-ignored)"
    service_tls "$svc" "$2"
    [ "$svc" != kafka ] || (umask 077; cat "$d/tls.key" "$d/tls.crt" "$d/ca.crt" > "$d/keystore.pem")
    TLS_RENEWED="$TLS_RENEWED $svc"
  fi
  if ! diff -rq "$d" "$kept" >/dev/null 2>&1; then
    mkdir -p "$(dirname "$kept")" && rm -rf "$kept.tmp" && cp -a "$d" "$kept.tmp" && chmod 700 "$kept.tmp" && rm -rf "$kept" && mv "$kept.tmp" "$kept"
  fi
}
ensure_influxdb_tls() { ensure_service_tls influxdb server tls.crt; }
# tls/kafka/ (when the lab overlay uses it, M8): as InfluxDB's, plus
# keystore.pem = PKCS#8 key + certificate chain (Kafka's PEM keystore type).
ensure_kafka_tls() {
  grep -q 'tls/kafka/' "$LAB_OVERLAY/kustomization.yaml" 2>/dev/null || return 0
  ensure_service_tls kafka both keystore.pem
}

# After new certificates rolled out, clients started while a server still had
# the old ones (or the reverse) may have logged handshake errors: restart the
# clients once the servers serve the new certificates, and wait until the
# replaced pods are gone, so the platform is verified in its steady state.
restart_tls_clients() {
  local w n deadline
  [ -n "$TLS_RENEWED" ] || return 0
  step "new certificates for$TLS_RENEWED: restarting the clients (producer, processor) now that the servers serve them"
  kc -n "$NS" rollout restart deployment/producer deployment/processor >/dev/null
  wait_workloads "$ROLLOUT_TIMEOUT" deployment/processor deployment/producer
  deadline=$(( $(date +%s) + 60 ))
  for w in producer processor; do
    until n="$(kc -n "$NS" get pods -l "app=$w" -o jsonpath='{range .items[?(@.metadata.deletionTimestamp)]}{.metadata.name}{" "}{end}')" && [ -z "$n" ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "replaced $w pod(s) still terminating after 60s: $n" "see: kubectl -n $NS describe pod $n"
      sleep 1
    done
  done
}

# ------------------------------------------------------------- waits
wait_rollouts() {
  local w deadline STATE=""
  deadline=$(( $(date +%s) + ROLLOUT_TIMEOUT ))
  for w in statefulset/kafka statefulset/influxdb deployment/prometheus deployment/loki daemonset/promtail deployment/processor deployment/producer; do
    kc -n "$NS" get "$w" >/dev/null 2>&1 || { warn "$w is not in ${OVERLAY#"$REPO_DIR"/}; not waiting for it"; continue; }
    until rolled_out "$w"; do
      if [ "$(date +%s)" -ge "$deadline" ]; then
        diagnose
        die "waited ${ROLLOUT_TIMEOUT}s in total for the conveyor platform to roll out; not ready: $STATE"
      fi
      sleep 1
    done
    step "  $w ready ($STATE)"
  done
}

# Data must flow before the features measure it: the processor has written
# points to InfluxDB (its counter, read straight from the pod) — bounded.
wait_pipeline_flowing() {
  local ip n end=$(( $(date +%s) + 120 ))
  while :; do
    ip="$(kc -n "$NS" get pods -l app=processor --field-selector=status.phase=Running -o jsonpath='{.items[0].status.podIP}' 2>/dev/null || true)"
    n="$( [ -n "$ip" ] && curl -sf --max-time 3 "http://$ip:8000/metrics" | awk '$1 ~ /^processor_influxdb_writes_total/ { s += $2 } END { print s + 0 }' || echo 0)"
    if awk -v n="$n" 'BEGIN { exit !(n > 0) }'; then step "  pipeline flowing: processor wrote $n points to InfluxDB"; return 0; fi
    if [ "$(date +%s)" -ge "$end" ]; then
      diagnose
      warn "the processor has written no points to InfluxDB after 120s (processor_influxdb_writes_total=$n at ${ip:-no pod}:8000); running the features anyway, they will say what is missing"
      return 0
    fi
    sleep 2
  done
}

# ------------------------------------------------------------- main
NODE_BIN="$REPO_DIR/node_modules/node/bin/node"
[ -x "$NODE_BIN" ] || NODE_BIN="$(command -v node)"
[ "$(id -u)" -eq 0 ] || die "run as root (the lab runs containerd and the kubelet): sudo npm run verify"
[ -f "$OVERLAY/kustomization.yaml" ] || die "no kustomization.yaml in $OVERLAY"

step "lab build (idempotent)"
bash "$LAB_DIR/build.sh"
step "platform images: ${PLATFORM_IMAGES[*]}"
for s in producer processor; do
  [ -f "$REPO_DIR/services/$s/package-lock.json" ] || die "services/$s/package-lock.json missing: run (cd services/$s && npm install)"
done
for img in "${PLATFORM_IMAGES[@]}"; do build_image "$img"; done
step "lab up (idempotent; imports new image tarballs)"
bash "$LAB_DIR/up.sh" | grep -v '^$' | grep -v 'export KUBECONFIG\|kubectl get nodes\|logs: ' || true
kc get --raw /readyz >/dev/null 2>&1 || die "the lab's API server does not answer after lab/up.sh (status: bash lab/status.sh)"
one_node_only "the conveyor platform (as its plan deploys it)"

ensure_credentials
ensure_influxdb_tls
ensure_kafka_tls
step "kubectl apply --server-side -k ${OVERLAY#"$REPO_DIR"/} (+ inputs hash per workload)"
apply_overlay
unstick_statefulsets
step "waiting (up to ${ROLLOUT_TIMEOUT}s) for kafka, influxdb, prometheus, loki, promtail, processor, producer to be rolled out and Ready"
wait_rollouts
restart_tls_clients
wait_pipeline_flowing

# ------------------------------------------------------------- environment for the features
export KUBEPROOF_NAMESPACE="$NS"
KAFKA_PORT="$(kc -n "$NS" get svc kafka -o jsonpath='{.spec.ports[0].port}')"
export KUBEPROOF_KAFKA_BROKERS="${KUBEPROOF_KAFKA_BROKERS:-$(svc_ip kafka):$KAFKA_PORT}"
if [ "$KAFKA_PORT" = 9093 ] && [ -s "$LAB_OVERLAY/tls/kafka/ca.crt" ]; then
  export KUBEPROOF_KAFKA_CA_FILE="${KUBEPROOF_KAFKA_CA_FILE:-$LAB_OVERLAY/tls/kafka/ca.crt}"
  export KUBEPROOF_KAFKA_SERVER_NAME="${KUBEPROOF_KAFKA_SERVER_NAME:-kafka.$NS.svc}"
fi
export KUBEPROOF_PROMETHEUS_URL="${KUBEPROOF_PROMETHEUS_URL:-http://$(svc_ip prometheus-service):9090}"
export KUBEPROOF_LOKI_URL="${KUBEPROOF_LOKI_URL:-http://$(svc_ip loki):3100}"
if [ -f "$LAB_OVERLAY/secrets.env" ]; then
  export KUBEPROOF_INFLUX_USERNAME="${KUBEPROOF_INFLUX_USERNAME:-$(sed -n 's/^INFLUXDB_USER=//p' "$LAB_OVERLAY/secrets.env")}"
  export KUBEPROOF_INFLUX_PASSWORD="${KUBEPROOF_INFLUX_PASSWORD:-$(sed -n 's/^INFLUXDB_USER_PASSWORD=//p' "$LAB_OVERLAY/secrets.env")}"
fi
if [ "$(kc -n "$NS" get configmap influxdb-config -o jsonpath='{.data.INFLUXDB_HTTP_HTTPS_ENABLED}' 2>/dev/null)" = true ]; then
  export KUBEPROOF_INFLUX_URL="${KUBEPROOF_INFLUX_URL:-https://$(svc_ip influxdb):8086}"
  export KUBEPROOF_INFLUX_CA_FILE="${KUBEPROOF_INFLUX_CA_FILE:-$LAB_OVERLAY/tls/influxdb/ca.crt}"
  export KUBEPROOF_INFLUX_SERVER_NAME="${KUBEPROOF_INFLUX_SERVER_NAME:-influxdb.$NS.svc}"
else
  export KUBEPROOF_INFLUX_URL="${KUBEPROOF_INFLUX_URL:-http://$(svc_ip influxdb):8086}"
fi
export KUBEPROOF_PRODUCER_URL="${KUBEPROOF_PRODUCER_URL:-http://$(svc_ip producer):8000}"
# The lab overlay deletes Grafana's Deployment (no Grafana server can be built
# from the registries here): the run declares it absent, and every report says
# why its Grafana-server criteria are not verified.
if ! kc -n "$NS" get deployment grafana >/dev/null 2>&1; then
  export KUBEPROOF_ABSENT="${KUBEPROOF_ABSENT:-grafana=no Grafana server can be built from the package registries here}"
fi
step "conveyor platform ready in $(( $(date +%s) - T0 ))s"
{
  echo "  export KUBECONFIG=$KUBECONFIG"
  for v in KUBEPROOF_NAMESPACE KUBEPROOF_KAFKA_BROKERS KUBEPROOF_KAFKA_CA_FILE KUBEPROOF_KAFKA_SERVER_NAME KUBEPROOF_PROMETHEUS_URL KUBEPROOF_LOKI_URL KUBEPROOF_INFLUX_URL \
           KUBEPROOF_INFLUX_CA_FILE KUBEPROOF_INFLUX_SERVER_NAME KUBEPROOF_INFLUX_USERNAME KUBEPROOF_PRODUCER_URL; do
    [ -n "${!v:-}" ] && echo "  export $v=${!v}"
  done
  [ -n "${KUBEPROOF_ABSENT:-}" ] && printf '  export KUBEPROOF_ABSENT=%q\n' "$KUBEPROOF_ABSENT"
  [ -n "${KUBEPROOF_INFLUX_PASSWORD:-}" ] && echo "  export KUBEPROOF_INFLUX_PASSWORD=\$(sed -n 's/^INFLUXDB_USER_PASSWORD=//p' ${LAB_OVERLAY#"$REPO_DIR"/}/secrets.env)"
} | tee "$RUN/conveyor.env.txt"

if [ "$RUN_FEATURES" = 0 ]; then
  log "--no-run: platform deployed, features not run (environment above; also in $RUN/conveyor.env.txt)"
  exit 0
fi

# One cucumber run per milestone: each writes the report a team hands in
# (reports/mN.html) and a row of reports/index.html.
cd "$REPO_DIR"
# One run id for every milestone process: their observations add up to one set
# of the plan's outputs (reports/outputs/, or KUBEPROOF_OUTPUTS_DIR).
export KUBEPROOF_RUN_ID="${KUBEPROOF_RUN_ID:-verify-$(date -u +%Y%m%dT%H%M%SZ)}"
rc=0
for m in $MILESTONES; do
  step "npx cucumber-js -p m$m ${CUKE_ARGS[*]}"
  npx cucumber-js -p "m$m" "${CUKE_ARGS[@]}" || rc=1
done
if [ "$ALLOW_NOT_VERIFIED" = 1 ]; then
  # Only failed criteria count; each milestone's summary must exist (a run that died wrote none).
  rc=0
  for m in $MILESTONES; do
    f="$REPO_DIR/reports/m$m.summary.json"
    n="$("$NODE_BIN" -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(s.counts.failed+"/"+s.counts["not verified"]+"/"+s.counts.passed)' "$f" 2>/dev/null)" || { warn "m$m wrote no readable summary ($f)"; rc=1; continue; }
    log "m$m: failed/not verified/passed = $n"
    [ "${n%%/*}" = 0 ] || rc=1
  done
fi
step "features finished (exit code $rc)"
echo "  reports: $REPO_DIR/reports/m{${MILESTONES// /,}}.html   index: $REPO_DIR/reports/index.html"
echo "  the plan's outputs (run $KUBEPROOF_RUN_ID): ${KUBEPROOF_OUTPUTS_DIR:-$REPO_DIR/reports/outputs}/ (index.json says what each came from)"
exit "$rc"

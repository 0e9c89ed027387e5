#!/usr/bin/env bash
# verify-platform.sh — verify one of the other platforms the library covers on the lab
# (`npm run verify -- --platform <name>`; the conveyor platform is lab/verify-conveyor.sh).
#
#   1. lab/build.sh and the platform's images (lab/images/recipes, rebuilt when their sources change)
#   2. lab/up.sh
#   3. kubectl kustomize manifests/platforms/<name>/overlays/lab, applied server-side
#   4. wait for the platform's workloads (bounded; says what it last saw)
#   5. npx cucumber-js -p <name>: reports/<name>.html, .xml, .ndjson, .summary.json and reports/index.html
#
# A platform is described by lab/platforms/<name>.sh (sourced): PLATFORM_NS, PLATFORM_IMAGES (recipes),
# PLATFORM_WORKLOADS (kind/name, waited for in order) and platform_env (exports KUBEPROOF_* for the features);
# optionally platform_prepare (before the apply: credentials, tools) and platform_install (after it: e.g. Helm releases).
#
# Usage: lab/verify-platform.sh <name> [--no-run] [--allow-not-verified] [--rollout-timeout SECONDS] [-- CUCUMBER-ARGS...]
# Exit status: 0 only when the run passed (--allow-not-verified: when no criterion failed).
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=platform-lib.sh
source "$LAB_DIR/platform-lib.sh"

known_platforms() { local f; for f in "$LAB_DIR"/platforms/*.sh; do [ -e "$f" ] && basename "$f" .sh; done | paste -sd' '; }
PLATFORM="${1:-}"
if [ -z "$PLATFORM" ] || [ "${PLATFORM#-}" != "$PLATFORM" ]; then die "which platform? lab/verify-platform.sh <name>" "one of: $(known_platforms)"; fi
shift
DEFINITION="$LAB_DIR/platforms/$PLATFORM.sh"
[ -f "$DEFINITION" ] || die "no platform \"$PLATFORM\": ${DEFINITION#"$REPO_DIR"/} does not exist" "one of: $(known_platforms)"
RUN_FEATURES=1
ALLOW_NOT_VERIFIED=0
ROLLOUT_TIMEOUT=300
CUKE_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-run) RUN_FEATURES=0 ;;
    --allow-not-verified) ALLOW_NOT_VERIFIED=1 ;;
    --rollout-timeout) ROLLOUT_TIMEOUT="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; CUKE_ARGS=("$@"); break ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

PLATFORM_NS="" PLATFORM_IMAGES=() PLATFORM_WORKLOADS=()
# shellcheck source=/dev/null
source "$DEFINITION"
[ -n "$PLATFORM_NS" ] || die "$DEFINITION sets no PLATFORM_NS"
declare -F platform_env >/dev/null || die "$DEFINITION defines no platform_env function"
NS="$PLATFORM_NS"
OVERLAY="$REPO_DIR/manifests/platforms/$PLATFORM/overlays/lab"
FIELD_MANAGER="kubeproof-$PLATFORM"
NODE_BIN="$REPO_DIR/node_modules/node/bin/node"
[ -x "$NODE_BIN" ] || NODE_BIN="$(command -v node)"
[ -f "$OVERLAY/kustomization.yaml" ] || die "no kustomization.yaml in ${OVERLAY#"$REPO_DIR"/}"
[ "$(id -u)" -eq 0 ] || die "run as root (the lab runs containerd and the kubelet): sudo npm run verify -- --platform $PLATFORM"
export KUBECONFIG="$KUBECONFIG_LAB"
T0=$(date +%s)
step() { log "[$(( $(date +%s) - T0 ))s] $*"; }

step "lab build (idempotent)"
bash "$LAB_DIR/build.sh"
step "$PLATFORM images: ${PLATFORM_IMAGES[*]:-(none)}"
for img in "${PLATFORM_IMAGES[@]}"; do build_image "$img"; done
step "lab up (idempotent; imports new image tarballs)"
bash "$LAB_DIR/up.sh" | grep -v '^$' | grep -v 'export KUBECONFIG\|kubectl get nodes\|logs: ' || true
kc get --raw /readyz >/dev/null 2>&1 || die "the lab's API server does not answer after lab/up.sh (status: bash lab/status.sh)"
# PLATFORM_EXTRA_NODES (the platform's script): how many extra nodes it runs on; none: they stop.
[ "${PLATFORM_EXTRA_NODES:-0}" -gt 0 ] || one_node_only "$PLATFORM"

if declare -F platform_prepare >/dev/null; then step "$PLATFORM: platform_prepare"; platform_prepare; fi
step "kubectl apply --server-side -k ${OVERLAY#"$REPO_DIR"/} (+ inputs hash per workload)"
apply_overlay
unstick_statefulsets
if declare -F platform_install >/dev/null; then step "$PLATFORM: platform_install"; platform_install; unstick_statefulsets; fi
step "waiting (up to ${ROLLOUT_TIMEOUT}s) for ${PLATFORM_WORKLOADS[*]}"
wait_workloads "$ROLLOUT_TIMEOUT" "${PLATFORM_WORKLOADS[@]}"
platform_env
step "$PLATFORM platform ready in $(( $(date +%s) - T0 ))s"
env | grep '^KUBEPROOF_' | grep -v 'PASSWORD\|TOKEN\|SECRET' | sed 's/^/  export /' | tee "$RUN/$PLATFORM.env.txt"

if [ "$RUN_FEATURES" = 0 ]; then
  log "--no-run: platform deployed, features not run (environment above; also in $RUN/$PLATFORM.env.txt)"
  exit 0
fi
cd "$REPO_DIR"
export KUBEPROOF_RUN_ID="${KUBEPROOF_RUN_ID:-verify-$PLATFORM-$(date -u +%Y%m%dT%H%M%SZ)}"
step "npx cucumber-js -p $PLATFORM ${CUKE_ARGS[*]}"
rc=0
npx cucumber-js -p "$PLATFORM" "${CUKE_ARGS[@]}" || rc=$?
if [ "$ALLOW_NOT_VERIFIED" = 1 ]; then
  f="$REPO_DIR/reports/$PLATFORM.summary.json"
  n="$("$NODE_BIN" -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(s.counts.failed+"/"+s.counts["not verified"]+"/"+s.counts.passed)' "$f" 2>/dev/null)" || die "the $PLATFORM run wrote no readable summary ($f)"
  log "$PLATFORM: failed/not verified/passed = $n"
  rc=0
  [ "${n%%/*}" = 0 ] || rc=1
fi
step "features finished (exit code $rc); report: $REPO_DIR/reports/$PLATFORM.html   index: $REPO_DIR/reports/index.html"
exit "$rc"

#!/usr/bin/env bash
# lab/nightly.sh — the nightly job (`npm run lab:nightly`): what a cold CI run has
# no time for. Builds the nightly images and CLIs (Traefik ≈ 20 min cold on 2 cores; the
# Sealed Secrets controller, kubeseal and Helm ≈ 10 min),
# runs the @lab @nightly scenarios (cucumber profile lab-nightly) and their
# must-fail scenarios (test/lab/nightly/failing), then deploys and verifies the
# other platforms (LAB_NIGHTLY_PLATFORMS, default: streaming loco giia homelab;
# each with --allow-not-verified: a failed criterion fails the job). Stops the
# lab afterwards when it started it (LAB_CI_KEEP=1 keeps it). Ends with a
# summary naming every failed scenario.
# Reports: reports/lab-nightly.html, reports/must-fail-nightly.json, reports/<platform>.html.
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
cd "$REPO_DIR" || exit 1
export PATH="$REPO_DIR/node_modules/.bin:$PATH"
read -r -a platforms <<< "${LAB_NIGHTLY_PLATFORMS:-streaming loco giia homelab}"

bash "$LAB_DIR/build.sh" || exit 1
for img in "${NIGHTLY_IMAGES[@]}"; do build_image "$img" || exit 1; done
bash "$LAB_DIR/components/all.sh" helm kubeseal || exit 1
started_here=0
if ! is_running kube-apiserver; then started_here=1; fi
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ "$started_here" = 1 ] && [ "${LAB_CI_KEEP:-0}" != 1 ]; then bash "$LAB_DIR/down.sh" || true; fi
}
trap cleanup EXIT
bash "$LAB_DIR/up.sh" || { bash "$LAB_DIR/status.sh" || true; exit 1; }
export KUBECONFIG="$KUBECONFIG_LAB"
started="$(mktemp)"

rc=0
log "@lab @nightly scenarios (reports/lab-nightly.html)"
npx cucumber-js -p lab-nightly || rc=1
log "nightly must-fail scenarios on the lab (test/lab/nightly/failing; reports/must-fail-nightly.json)"
TS_NODE_TRANSPILE_ONLY=true node --require ts-node/register test/must-fail.ts --parallel 2 --report reports/must-fail-nightly.json test/lab/nightly/failing || rc=1
for p in "${platforms[@]}"; do
  log "platform $p: deploy and verify (reports/$p.html)"
  bash "$LAB_DIR/verify-platform.sh" "$p" --allow-not-verified || rc=1
done

log "summary (failed scenarios with their message)"
for f in reports/lab-nightly.summary.json "${platforms[@]/#/reports/}"; do
  f="${f%.summary.json}.summary.json"
  [ "$f" -nt "$started" ] || { echo "  ${f#reports/}: no report from this run"; continue; }
  jq -r '"  \(.run): \(.counts.passed) passed, \(.counts.failed) failed, \(.counts["not verified"]) not verified",
    (.scenarios[] | select(.outcome == "failed") | "    FAILED \(.feature): \(.name)\n      \((.message // "") | .[0:600])")' "$f"
done
[ reports/must-fail-nightly.json -nt "$started" ] && jq -r '"  must-fail (nightly): \([.results[] | select(.ok)] | length)/\(.results | length) failed as they must",
  (.results[] | select(.ok | not) | "    DEFECT \(.location): \(.scenario | .[0:200])\n      \((.detail // "") | .[0:600])")' reports/must-fail-nightly.json
rm -f "$started"
log "nightly exit code $rc"
exit $rc

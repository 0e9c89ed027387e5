#!/usr/bin/env bash
# Component tests: start the real components on loopback, run kubeproof's own
# steps against them (cucumber profile `component`, report in
# reports/component.html) and the negative tests, then stop everything.
set -euo pipefail
cd "$(dirname "$0")/../.."
export TS_NODE_TRANSPILE_ONLY=true
STATE="${KUBEPROOF_STATE:-/tmp/kubeproof-components}"

# Stop what we started, also when a test fails or the run is interrupted,
# unless the caller started the components itself (KUBEPROOF_COMPONENTS_KEEP=1).
if [[ "${KUBEPROOF_COMPONENTS_KEEP:-0}" != 1 ]]; then
  trap 'bash test/component/env/down.sh >/dev/null 2>&1 || true' EXIT
fi
bash test/component/env/up.sh

set -a
# shellcheck disable=SC1091
source "$STATE/endpoints.env"
set +a

status=0
npx cucumber-js -p component || status=$?
node --require ts-node/register --test test/component/*.test.ts || status=$?
echo "component report: reports/component.html (index: reports/index.html)"
exit "$status"

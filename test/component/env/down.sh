#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stop exactly what test/component/env/up.sh started — the processes named
# by the pid files in the state dir, nothing found by name — and remove the
# temporary data. Safe after a half-failed up.sh and when nothing runs.
# The logs stay in $STATE/logs for a post-mortem (pass --purge to drop them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
COMPONENT=component-env
# shellcheck source=../../../lab/lib.sh
. "$ROOT/lab/lib.sh"
STATE="${KUBEPROOF_STATE:-/tmp/kubeproof-components}"
PIDS="$STATE"
LOGS="$STATE/logs"
PURGE=0
[ "${1:-}" = "--purge" ] && PURGE=1

if [ ! -d "$STATE" ]; then
  log "nothing to stop ($STATE does not exist)"
  exit 0
fi

# Never race an up.sh (or another down.sh) on the same state dir.
state_lock

# Emitter first (it talks to the others), Alertmanager before the sink it notifies, Kafka gets the longest grace period
# for its controlled shutdown.
failed=0
for name in emitter prometheus alertmanager webhook-sink loki influxdb kafka; do
  grace=10
  [ "$name" = kafka ] && grace=30
  stop_daemon "$name" "$grace" || failed=1
done

[ "$failed" = 0 ] || exit 1

rm -rf "$STATE/data" "$STATE/config" "$STATE/endpoints.env" "$STATE/endpoints.env.tmp"
if [ "$PURGE" = 1 ]; then
  rm -rf "$STATE"
  log "stopped; removed $STATE"
else
  log "stopped; data removed, logs kept in $STATE/logs"
fi

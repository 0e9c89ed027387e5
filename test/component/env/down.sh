#!/usr/bin/env bash
# Stop exactly what test/component/env/up.sh started — the processes named
# by the pid files in the state dir, nothing found by name — and remove the
# temporary data. Safe after a half-failed up.sh and when nothing runs.
# The logs stay in $STATE/logs for a post-mortem (pass --purge to drop them).
set -euo pipefail
STATE="${KUBEPROOF_STATE:-/tmp/kubeproof-components}"
PURGE=0
[ "${1:-}" = "--purge" ] && PURGE=1

log() { printf '[component-env] %s\n' "$*" >&2; }

if [ ! -d "$STATE" ]; then
  log "nothing to stop ($STATE does not exist)"
  exit 0
fi

# ours PID: the process's command line mentions the state dir (every
# component is started with a config or flag under it), so a pid recycled by
# an unrelated process is never signalled.
ours() {
  local cmd
  [ -r "/proc/$1/cmdline" ] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"$STATE"* ]]
}

# Never race an up.sh (or another down.sh) on the same state dir.
exec 9>"$STATE/.lock"
flock -w 300 9 || { log "ERROR: another up.sh/down.sh holds $STATE/.lock; wait for it and retry"; exit 1; }

# Emitter first (it talks to the others), Kafka gets the longest grace period
# for its controlled shutdown.
failed=0
for name in emitter prometheus loki influxdb kafka; do
  pidf="$STATE/$name.pid"
  [ -f "$pidf" ] || continue
  pid="$(cat "$pidf")"
  if [ -z "$pid" ] || ! ours "$pid"; then
    log "$name: not running (stale pid file)"
    rm -f "$pidf"
    continue
  fi
  grace=10
  [ "$name" = kafka ] && grace=30
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $((grace * 10))); do
    ours "$pid" || break
    sleep 0.1
  done
  if ours "$pid"; then
    log "$name (pid $pid) ignored SIGTERM for ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  if ours "$pid"; then
    log "ERROR: $name (pid $pid) is still running; stop it by hand: kill -9 $pid"
    failed=1
  else
    rm -f "$pidf"
  fi
done

[ "$failed" = 0 ] || exit 1

rm -rf "$STATE/data" "$STATE/config" "$STATE/endpoints.env" "$STATE/endpoints.env.tmp"
if [ "$PURGE" = 1 ]; then
  rm -rf "$STATE"
  log "stopped; removed $STATE"
else
  log "stopped; data removed, logs kept in $STATE/logs"
fi

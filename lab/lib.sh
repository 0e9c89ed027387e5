# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are for the scripts that source this file
# Shared helpers for lab/*.sh. Source it; it does not run anything by itself.
#
# Layout
#   cache  ${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}   built artifacts, keyed by pin
#          k8s/<ver>/bin/...  addons/<name>-<ver>/bin/...  images/<name>-<tag>.tar
#          stamps/<key>.ok    logs/build-*.log
#   state  ${KUBEPROOF_STATE_LAB:-/var/lib/kubeproof-lab}  the running node
#          pki/ etcd/ containerd/ kubelet/ cni/ logs/ kubeconfig
#   run    ${KUBEPROOF_RUN_LAB:-/run/kubeproof-lab}   pid files, sockets, sysctl snapshot

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$LAB_DIR/.." && pwd)"
# shellcheck disable=SC1091
source "$LAB_DIR/pins.env"

CACHE="${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}"
STATE="${KUBEPROOF_STATE_LAB:-/var/lib/kubeproof-lab}"
RUN="${KUBEPROOF_RUN_LAB:-/run/kubeproof-lab}"
STAMPS="$CACHE/stamps"
K8S_BIN="$CACHE/k8s/$K8S_VERSION/bin"
IMAGES="$CACHE/images"
LOGS="$STATE/logs"
PIDS="$RUN/pids"
KUBECONFIG_LAB="$STATE/kubeconfig"

# Network: everything lives on one local bridge; nothing is routed off the VM.
LAB_BRIDGE="${LAB_BRIDGE:-kplab0}"
POD_CIDR="${LAB_POD_CIDR:-10.244.0.0/24}"
NODE_IP="${LAB_NODE_IP:-10.244.0.1}"        # the bridge's own address = node InternalIP
SERVICE_CIDR="${LAB_SERVICE_CIDR:-10.96.0.0/16}"
KUBERNETES_SVC_IP="10.96.0.1"
DNS_SVC_IP="10.96.0.10"
CLUSTER_DOMAIN="cluster.local"
NODE_NAME="${LAB_NODE_NAME:-kubeproof-lab}"

# Ports (etcd off its defaults so a system etcd does not collide)
ETCD_CLIENT_PORT=12379
ETCD_PEER_PORT=12380
APISERVER_PORT=6443

CONTAINERD_SOCK="$RUN/containerd/containerd.sock"
CNI_BIN_DIR="/usr/lib/cni"

export GOTOOLCHAIN=local
export PATH="$PATH:/usr/local/go/bin:/usr/sbin:/sbin"

# ---------------------------------------------------------------- logging
_ts() { date +%H:%M:%S; }
log()  { printf '[lab %s] %s\n' "$(_ts)" "$*"; }
warn() { printf '[lab %s] WARNING: %s\n' "$(_ts)" "$*" >&2; }
die()  { printf '[lab %s] ERROR: %s\n' "$(_ts)" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- stamps
# A stamp records that <key> (which embeds the pinned version) was built.
stamp_ok()  { [ -f "$STAMPS/$1.ok" ]; }
stamp_set() { mkdir -p "$STAMPS"; date -u +%FT%TZ > "$STAMPS/$1.ok"; }

# run_build <key> <description> <function> [args...]
# Skips when stamped; logs to $CACHE/logs/build-<key>.log and records seconds.
run_build() {
  local key="$1" what="$2"; shift 2
  if stamp_ok "$key"; then log "cached: $what ($key)"; return 0; fi
  mkdir -p "$CACHE/logs"
  local blog="$CACHE/logs/build-$key.log" t0 t1
  log "building: $what -> log $blog"
  t0=$(date +%s)
  if ! "$@" > "$blog" 2>&1; then
    tail -n 30 "$blog" >&2
    die "build of $what failed (full log: $blog)"
  fi
  t1=$(date +%s)
  stamp_set "$key"
  printf '%s\t%s\t%ss\n' "$(date -u +%FT%TZ)" "$key" "$((t1 - t0))" >> "$CACHE/logs/build-times.tsv"
  log "built: $what in $((t1 - t0))s"
}

# ---------------------------------------------------------------- processes
pidfile() { echo "$PIDS/$1.pid"; }

# is_running <name>: pid file exists and that pid is alive and still the
# lab's <name> (a pid file left by a killed lab may name a reused pid)
is_running() {
  local f pid
  f="$(pidfile "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q -- "$1"
}

# forget_stale_pids: pid files whose process is gone (the machine or session
# that ran the lab ended without lab:down) would read as "exited" daemons.
forget_stale_pids() {
  local f n
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    n="$(basename "$f" .pid)"
    is_running "$n" || { log "forgetting stale pid file of $n (pid $(cat "$f"), not running)"; rm -f "$f"; }
  done
}

# start_daemon <name> <cmd...>: start in its own session, log to $LOGS/<name>.log
start_daemon() {
  local name="$1"; shift
  mkdir -p "$PIDS" "$LOGS"
  if is_running "$name"; then log "$name already running (pid $(cat "$(pidfile "$name")"))"; return 0; fi
  log "starting $name"
  # keep one previous log when it grew past 50 MB
  if [ -f "$LOGS/$name.log" ] && [ "$(stat -c %s "$LOGS/$name.log")" -gt 52428800 ]; then mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"; fi
  {
    echo "---- $(date -u +%FT%TZ) starting: $*"
  } >> "$LOGS/$name.log"
  setsid "$@" >> "$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pidfile "$name")"
}

# fail_component <name> <why>: print the log tail and stop.
fail_component() {
  local name="$1" why="$2"
  echo "----- last 40 lines of $LOGS/$name.log -----" >&2
  tail -n 40 "$LOGS/$name.log" >&2 || true
  echo "-----" >&2
  die "$name: $why (log: $LOGS/$name.log; clean up with: npm run lab:down)"
}

# wait_for <name> <seconds> <check-cmd...>: poll a check, fail with log tail.
wait_for() {
  local name="$1" secs="$2"; shift 2
  local end=$(( $(date +%s) + secs ))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! is_running "$name"; then fail_component "$name" "exited during startup"; fi
    check_started_alive
    if [ "$(date +%s)" -ge "$end" ]; then fail_component "$name" "not ready after ${secs}s (check: $*)"; fi
    sleep 0.2
  done
}

# check_started_alive: every daemon started so far (pid file) still runs,
# otherwise stop with that one's log tail (a dead etcd explains a stuck apiserver).
check_started_alive() {
  local f n
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    n="$(basename "$f" .pid)"
    is_running "$n" || fail_component "$n" "exited"
  done
}

# stop_daemon <name> [grace-seconds]: TERM, wait, KILL; by pid only.
stop_daemon() {
  local name="$1" grace="${2:-10}" f pid i
  f="$(pidfile "$name")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then warn "$name did not stop in ${grace}s; killing"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$f"
}

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

kc() { kubectl --kubeconfig "$KUBECONFIG_LAB" "$@"; }
lab_ctr() { ctr --address "$CONTAINERD_SOCK" "$@"; }

# tree_rss_kb <pid>...: summed RSS (kB) of the given processes and all descendants
tree_rss_kb() {
  ps -e -o pid=,ppid=,rss= | awk -v roots="$*" '
    { ppid[$1] = $2; rss[$1] = $3; kids[$2] = kids[$2] " " $1 }
    END {
      n = split(roots, q, " "); total = 0
      while (n > 0) {
        p = q[n]; n--
        if (p in seen) continue; seen[p] = 1; total += rss[p]
        m = split(kids[p], k, " "); for (i = 1; i <= m; i++) q[++n] = k[i]
      }
      print total + 0
    }'
}

# lab_shim_pids: containerd shims started by the lab's containerd
lab_shim_pids() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd="$(tr '\0' ' ' 2>/dev/null < "$p/cmdline")" || continue
    case "$cmd" in *containerd-shim*"$CONTAINERD_SOCK"*) echo "${p#/proc/}" ;; esac
  done
}

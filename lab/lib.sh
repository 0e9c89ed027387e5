# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are for the scripts that source this file
# The one bash library of lab/ and test/component/env/: paths, logging,
# stamps, Debian packages, Go builds, images, daemons. Source it; it does not
# run anything by itself.
#
# Layout
#   cache  ${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}   built artifacts, keyed by pin
#          k8s/<ver>/bin  images/<name>-<tag>.tar  images/layers/  gobin/  npm/
#          bin/ <component>-<ver>/ work/ (lab/components)  stamps/<key>.ok  logs/
#   state  ${KUBEPROOF_STATE_LAB:-/var/lib/kubeproof-lab}  the running node
#          pki/ etcd/ containerd/ kubelet/ cni/ logs/ kubeconfig
#   run    ${KUBEPROOF_RUN_LAB:-/run/kubeproof-lab}   pid files, sockets, sysctl snapshot

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$LAB_DIR/.." && pwd)"
# shellcheck source=pins.env
source "$LAB_DIR/pins.env"

CACHE="${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}"
CACHE_BIN="$CACHE/bin"
BUILD_LOGS="$CACHE/logs"
STAMPS="$CACHE/stamps"
K8S_BIN="$CACHE/k8s/$K8S_VERSION/bin"
IMAGES="$CACHE/images"
STATE="${KUBEPROOF_STATE_LAB:-/var/lib/kubeproof-lab}"
RUN="${KUBEPROOF_RUN_LAB:-/run/kubeproof-lab}"
LOGS="$STATE/logs"
PIDS="$RUN/pids"
KUBECONFIG_LAB="$STATE/kubeconfig"
CLEANUP_HINT="clean up with: npm run lab:down"

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

# The images, by who needs them: NODE_IMAGES the node and its add-ons (lab:up
# imports them before the kubelet starts), LAB_IMAGES what lab:build builds,
# PLATFORM_IMAGES the conveyor platform's (verify-conveyor.sh builds them,
# lab:up imports them in the background).
NODE_IMAGES=(pause coredns metrics-server kube-router local-path-provisioner probe)
# DATA_IMAGES: the data services platforms run (Debian packages on the base layer).
DATA_IMAGES=(postgresql redis nats)
LAB_IMAGES=("${NODE_IMAGES[@]}" node k6 "${DATA_IMAGES[@]}" alertmanager webhook-sink)
# NIGHTLY_IMAGES: too slow to build for a cold CI run (Traefik ≈ 20 min on 2 cores; the Sealed
# Secrets controller ≈ 2.5 min, with kubeseal and Helm ≈ 8 min more): built by lab/nightly.sh and
# by the platforms that need them.
NIGHTLY_IMAGES=(traefik sealed-secrets-controller)
PLATFORM_IMAGES=(kafka influxdb prometheus loki promtail producer processor)

# The machines' Go in /usr/local/go, never a downloaded toolchain.
export GOTOOLCHAIN=local
export PATH="/usr/local/go/bin:$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- logging
# Lab scripts log "[lab HH:MM:SS]" to stdout; scripts that set COMPONENT
# (lab/components, the component test env) log "[COMPONENT]" to stderr.
_say() { # _say <prefix> <text>
  if [ -n "${COMPONENT:-}" ]; then printf '[%s] %s%s\n' "$COMPONENT" "$1" "$2" >&2
  else printf '[lab %s] %s%s\n' "$(date +%H:%M:%S)" "$1" "$2"; fi
}
log()  { _say "" "$*"; }
warn() { _say "WARNING: " "$*" >&2; }
# die <what failed> [what to do about it]
die() {
  _say "ERROR: " "$1" >&2
  [ $# -lt 2 ] || _say "  -> " "$2" >&2
  exit 1
}

need_cmd() { # need_cmd <command> [how to get it]
  command -v "$1" >/dev/null 2>&1 || die "required command '$1' not found" "${2:-install it and re-run}"
}

# ---------------------------------------------------------------- stamps
# A stamp records that <key> (which embeds the pinned version) was built.
# stamp_ok <key> [path...]: stamped and every path exists (a stamp whose
# artifacts were deleted by hand does not count).
stamp_ok() {
  local p
  [ -f "$STAMPS/$1.ok" ] || return 1
  shift
  for p in "$@"; do [ -e "$p" ] || return 1; done
}
stamp_set() { mkdir -p "$STAMPS"; date -u +%FT%TZ > "$STAMPS/$1.ok"; }

# record_time <key> <seconds>: the build-time table lab/bench.sh reads
record_time() { mkdir -p "$BUILD_LOGS"; printf '%s\t%s\t%ss\n' "$(date -u +%FT%TZ)" "$1" "$2" >> "$BUILD_LOGS/build-times.tsv"; }

# run_build <key> <description> <command...>
# Skips when stamped; logs to $CACHE/logs/build-<key>.log and records seconds.
run_build() {
  local key="$1" what="$2"; shift 2
  if stamp_ok "$key"; then log "cached: $what ($key)"; return 0; fi
  mkdir -p "$BUILD_LOGS"
  local blog="$BUILD_LOGS/build-$key.log" t0 t1
  log "building: $what -> log $blog"
  t0=$(date +%s)
  if ! "$@" > "$blog" 2>&1; then
    tail -n 30 "$blog" >&2
    die "build of $what failed (full log: $blog)"
  fi
  t1=$(date +%s)
  stamp_set "$key"
  record_time "$key" "$((t1 - t0))"
  log "built: $what in $((t1 - t0))s"
}

# ---------------------------------------------------------------- Debian packages
# apt_missing <pkg[=version]>...: prints those not installed
apt_missing() {
  local spec
  for spec in "$@"; do
    # (no `| grep -q`: with pipefail, grep quitting early kills dpkg-query by SIGPIPE at random)
    [ "$(dpkg-query -W -f='${Status}' "${spec%%=*}" 2>/dev/null || true)" = "install ok installed" ] || echo "$spec"
  done
}

_apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# apt_ensure <pkg[=version]>...: install what is missing, without recommends.
# `apt-get update` runs only when a package has no install candidate or the
# install fails (a stale index), so the common path stays offline-fast.
apt_ensure() {
  local missing spec updated=0 own_policy=0 rc=0 alog="$BUILD_LOGS/apt-${COMPONENT:-lab}.log"
  mapfile -t missing < <(apt_missing "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "Debian packages missing (${missing[*]}) and not root" "re-run with sudo, or: sudo apt-get install ${missing[*]}"
  mkdir -p "$BUILD_LOGS"
  : > "$alog"
  for spec in "${missing[@]}"; do
    case "$(apt-cache policy "${spec%%=*}" 2>/dev/null || true)" in
      *"Candidate: ("*|"") updated=1 ;;
    esac
  done
  if [ "$updated" = 1 ]; then
    log "apt-get update (a package has no install candidate)"
    apt-get update -qq >> "$alog" 2>&1 || die "apt-get update failed (log: $alog)" "check the Debian mirror in /etc/apt/sources.list.d"
  fi
  # Packages like containerd, etcd-server and prometheus would start system
  # daemons on their default ports: forbid service starts during the install
  # (policy-rc.d exit 101), unless the machine already has a policy in place.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  log "apt-get install ${missing[*]}"
  _apt_install "${missing[@]}" >> "$alog" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && [ "$updated" = 0 ]; then  # a stale index answers 404 for the files
    rc=0
    { apt-get update -qq && _apt_install "${missing[@]}"; } >> "$alog" 2>&1 || rc=$?
  fi
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" -eq 0 ] || { tail -n 20 "$alog" >&2; die "apt-get install ${missing[*]} failed (log: $alog)" "fix apt (dpkg --configure -a, apt-get update) and re-run"; }
}

# ensure_debian_daemon <pkg> <upstream-version> <pinned-deb-version> <binary> <pin-variable>
# A Debian package that ships a daemon: check its upstream version against the
# pin (fail) and its Debian revision (warn), and keep the packaged service off
# so only the processes we start ever run.
ensure_debian_daemon() {
  local pkg="$1" want="$2" pinned="$3" bin="$4" pin_var="$5" installed pid
  installed="$(dpkg-query -W -f='${Version}' "$pkg")"
  case "$installed" in
    "$want"*) ;;
    *) die "Debian $pkg is $installed, expected $want (pinned $pinned)" "update $pin_var in lab/pins.env after checking the tests still pass with it" ;;
  esac
  [ "$installed" = "$pinned" ] || warn "Debian revision $installed differs from the pinned $pinned (same upstream $want)"
  # The postinst may have started the daemon anyway (a machine without policy-rc.d).
  if [ -x "/etc/init.d/$pkg" ] && "/etc/init.d/$pkg" status >/dev/null 2>&1; then
    log "stopping the $pkg service started by the Debian package"
    "/etc/init.d/$pkg" stop >/dev/null 2>&1 || true
  fi
  for pid in $(pgrep -x -f "$bin( .*)?" 2>/dev/null || true); do
    # Only a daemon run by the package's system user is the package's; the
    # lab's own instances run as root and are left alone.
    if [ "$(ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pkg" ]; then
      log "stopping $bin (pid $pid, user $pkg) started by the Debian package"
      kill "$pid" 2>/dev/null || true
    fi
  done
  if command -v update-rc.d >/dev/null 2>&1 && [ -x "/etc/init.d/$pkg" ]; then
    update-rc.d "$pkg" disable >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- Go
# go_module_json <module@version>: `go mod download -json`, outside any module
go_module_json() { (cd /tmp && GOFLAGS=-mod=mod go mod download -json "$1"); }

# go_build_module <module@version | module-dir> <out> <package>...
# Static build (CGO off, -trimpath, stripped) of the packages (import paths),
# with build tags $GO_TAGS and extra -ldflags $GO_LDFLAGS (version stamps).
# module@version is fetched from the Go module proxy and built as the main
# module in a scratch copy, so its own go.mod, go.sum and replaces apply as
# upstream builds it (`go install pkg@ver` ignores replaces and reads the
# module's version list, which the proxy here does not serve for every
# module). A directory is a wrapper module (lab/k8s, Loki's), built in place.
# <out> ending in / is a directory for several binaries; otherwise the binary
# appears there whole or not at all.
go_build_module() {
  local src="$1" out="$2" dir="$1" work="" json target rc=0 args
  shift 2
  if [ ! -d "$src" ]; then
    json="$(go_module_json "$src")" || { printf '%s\n' "$json" >&2; return 1; }
    work="$(mktemp -d /var/tmp/kplab-go.XXXXXX)"
    dir="$work"
    cp -r "$(jq -r .Dir <<<"$json")/." "$work/" && chmod -R u+w "$work"
  fi
  args=(-trimpath -ldflags "-s -w${GO_LDFLAGS:+ $GO_LDFLAGS}")
  [ -z "${GO_TAGS:-}" ] || args+=(-tags "$GO_TAGS")
  target="$out"
  case "$out" in
    */) mkdir -p "$out" ;;
    *) mkdir -p "$(dirname "$out")"; target="$out.tmp" ;;
  esac
  echo "go $(go env GOVERSION): go build $* ($src)" >&2
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=mod" go build "${args[@]}" -o "$target" "$@") || rc=$?
  [ -z "$work" ] || rm -rf "$work"
  [ "$rc" -eq 0 ] || return "$rc"
  [ "$target" = "$out" ] || mv -f "$target" "$out"
}

# ---------------------------------------------------------------- images
image_recipe() { echo "$LAB_DIR/images/recipes/$1.sh"; }

# image_ref <recipe>: the image reference the recipe builds
image_ref() {
  # shellcheck source=/dev/null  # recipes are checked on their own
  (source "$(image_recipe "$1")" && echo "$REF")
}

# image_key <recipe>: stamp key of its image: name, tag and a hash of the
# recipe, the packer, the Debian base and (for a service) its sources, so
# editing one of them rebuilds exactly that image.
image_key() {
  local name="$1" ref hash
  ref="$(image_ref "$name")"
  hash="$({
    cat "$(image_recipe "$name")" "$LAB_DIR/images/lib.sh" "$LAB_DIR/images/debian-base.packages" "$LAB_DIR/images/debian-base.sh"
    if grep -q 'images/debs.sh' "$(image_recipe "$name")"; then cat "$LAB_DIR/images/debs.sh"; fi # Debian packages on the base
    if [ -d "$REPO_DIR/services/$name" ]; then
      (cd "$REPO_DIR/services" && find "$name/package.json" "$name/package-lock.json" "$name/src" common -type f | LC_ALL=C sort | xargs cat)
    fi
  } | sha256sum | cut -c1-10)"
  echo "img-$name-${ref##*:}-$hash"
}

# build_image <recipe>: $IMAGES/<name>-<tag>.tar, unless built with this key
build_image() {
  local name="$1" ref key
  ref="$(image_ref "$name")"
  key="$(image_key "$name")"
  [ -f "$IMAGES/$name-${ref##*:}.tar" ] || rm -f "$STAMPS/$key.ok"
  run_build "$key" "image $ref" "$LAB_DIR/images/build-image.sh" "$name"
}

# ---------------------------------------------------------------- daemons
# Pid files in $PIDS, logs in $LOGS; a process counts as ours when its
# command line names it and $STATE (every daemon gets a flag or config under
# $STATE), so a pid file left by a killed run never names a reused pid.
pidfile() { echo "$PIDS/$1.pid"; }

is_running() { # is_running <name>
  local f pid cmd
  f="$(pidfile "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && cmd="$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline")" || return 1
  [[ "$cmd" == *"$1"* && "$cmd" == *"$STATE"* ]]
}

# forget_stale_pids: pid files whose process is gone (the machine or session
# that ran the daemons ended without a down) would read as "exited" daemons.
forget_stale_pids() {
  local f n
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    n="$(basename "$f" .pid)"
    is_running "$n" || { log "forgetting stale pid file of $n (pid $(cat "$f"), not running)"; rm -f "$f"; }
  done
}

# state_lock: one up/down at a time per $STATE (fd 9, closed for the daemons)
state_lock() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock -w 300 9 || die "another up.sh/down.sh holds $STATE/.lock for 5 min" "wait for it, or find it with: fuser $STATE/.lock"
}

# start_daemon <name> <cmd...>: start in its own session (it outlives this
# script's process group), log appended to $LOGS/<name>.log.
start_daemon() {
  local name="$1"; shift
  mkdir -p "$PIDS" "$LOGS"
  if is_running "$name"; then log "$name already running (pid $(cat "$(pidfile "$name")"))"; return 0; fi
  log "starting $name"
  # keep one previous log when it grew past 50 MB
  if [ -f "$LOGS/$name.log" ] && [ "$(stat -c %s "$LOGS/$name.log")" -gt 52428800 ]; then mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"; fi
  echo "---- $(date -u +%FT%TZ) starting: $*" >> "$LOGS/$name.log"
  setsid "$@" >> "$LOGS/$name.log" 2>&1 < /dev/null 9>&- &
  local pid=$!
  echo "$pid" > "$(pidfile "$name")"
  # Wait (bounded) until the child runs the daemon's own binary: before, its cmdline is this script's
  # and then setsid's (which already names the daemon), and while setsid execs the daemon /proc reads
  # an empty cmdline, which is_running took for an exited daemon and failed a healthy lab:up (in CI).
  local bin
  # DAEMON_BIN: the daemon's binary when the command starts it through others (unshare … exec containerd).
  bin="$(readlink -f "$(command -v "${DAEMON_BIN:-$1}")")"
  for _ in $(seq 1 250); do
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$bin" ] && is_running "$name" && break
    kill -0 "$pid" 2>/dev/null || break # it died: the liveness check reports it with its log
    sleep 0.02
  done
}

# fail_component <name> <why>: print the log tail and stop.
fail_component() {
  local name="$1" why="$2"
  echo "----- last 40 lines of $LOGS/$name.log -----" >&2
  tail -n 40 "$LOGS/$name.log" >&2 || true
  echo "-----" >&2
  die "$name: $why (log: $LOGS/$name.log; $CLEANUP_HINT)"
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

# wait_for <name> <seconds> <check...>: poll a check until it passes; fail
# with the log tail when a started daemon exits or on timeout. A check may set
# LAST to what it saw; the timeout message quotes it.
LAST=""
wait_for() {
  local name="$1" secs="$2"; shift 2
  local end=$(( $(date +%s) + secs ))
  LAST=""
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -f "$(pidfile "$name")" ] && ! is_running "$name"; then fail_component "$name" "exited during startup"; fi
    check_started_alive
    if [ "$(date +%s)" -ge "$end" ]; then fail_component "$name" "not ready after ${secs}s (check: $*${LAST:+; last seen: $LAST})"; fi
    sleep 0.2
  done
}

# stop_daemon <name> [grace-seconds]: TERM, wait, KILL; by pid only.
stop_daemon() {
  local name="$1" grace="${2:-10}" f pid i
  f="$(pidfile "$name")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if ! is_running "$name"; then log "$name: not running (stale pid file)"; rm -f "$f"; return 0; fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then warn "$name did not stop in ${grace}s; killing"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  if is_running "$name"; then warn "$name (pid $pid) is still running; stop it by hand: kill -9 $pid"; return 1; fi
  rm -f "$f"
}

# port_holder <port>: who listens on the TCP port ("name (pid N)"), empty when nobody
port_holder() {
  local holder
  holder="$(ss -Hltnp "( sport = :$1 )" 2>/dev/null || true)"
  [ -n "$holder" ] || return 0
  # ss prints e.g. users:(("prometheus",pid=17873,fd=7)); keep name and pid.
  holder="$(printf '%s\n' "$holder" | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n1 || true)"
  echo "${holder:-a process ss cannot name}"
}

# render <template> <out>: replace @VAR@ with the exported variable VAR.
render() {
  perl -pe 's/@([A-Z][A-Z0-9_]*)@/exists $ENV{$1} ? $ENV{$1} : die "unset template variable $1\n"/ge' "$1" > "$2.tmp"
  mv "$2.tmp" "$2"
}

# ---------------------------------------------------------------- the node
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

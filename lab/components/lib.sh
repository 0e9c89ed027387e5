# shellcheck shell=bash
# Shared helpers for lab/components/*.sh. Source it; do not run it.
#
# Every component script is idempotent and keyed by a pinned version: the
# artifacts live in a user-level cache so a fresh clone (or a second run)
# reuses them, and a stamp file per component+version marks a finished build.

set -euo pipefail

KP_CACHE="${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}"
KP_BIN="$KP_CACHE/bin"
KP_STAMPS="$KP_CACHE/stamps"
KP_WORK="$KP_CACHE/work"
KP_LOGS="$KP_CACHE/logs"
# shellcheck disable=SC2034 # used by the scripts that source this file
KP_COMPONENTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$KP_BIN" "$KP_STAMPS" "$KP_WORK" "$KP_LOGS"

# Go: the machines carry Go in /usr/local/go; never let it download another
# toolchain (GOTOOLCHAIN=local) — the pinned modules build with the local one.
export PATH="/usr/local/go/bin:$PATH"
export GOTOOLCHAIN=local

COMPONENT="${COMPONENT:-components}"

log()  { printf '[%s] %s\n' "$COMPONENT" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$COMPONENT" "$*" >&2; }
# die "what failed" "what to do about it"
die() {
  printf '[%s] ERROR: %s\n' "$COMPONENT" "$1" >&2
  [ $# -gt 1 ] && printf '[%s]   -> %s\n' "$COMPONENT" "$2" >&2
  exit 1
}

need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (installs Debian packages)" "re-run with sudo: sudo bash $0"
}

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "required command '$1' not found" "${2:-install it and re-run}"
}

# Stamps follow lab/lib.sh's convention: $CACHE/stamps/<name>-<version>.ok.
# stamp_ok NAME [PATH...]: true when NAME's stamp exists and every PATH exists
# (a stamp whose artifacts were deleted by hand does not count).
stamp_ok() {
  local name="$1"; shift
  [ -f "$KP_STAMPS/$name.ok" ] || return 1
  local p
  for p in "$@"; do [ -e "$p" ] || return 1; done
}
stamp_write() { date -u +%FT%TZ >"$KP_STAMPS/$1.ok"; }

# record_time KEY SECONDS: append to the build-time table lab/ also writes.
record_time() { printf '%s\t%s\t%ss\n' "$(date -u +%FT%TZ)" "$1" "$2" >>"$KP_LOGS/build-times.tsv"; }

# apt_ensure PKG[=VERSION]...: install what is missing, non-interactively and
# without recommends. `apt-get update` only runs when a package has no
# install candidate (a stale index), so the common path stays offline-fast.
apt_ensure() {
  local missing=() spec pkg
  for spec in "$@"; do
    pkg="${spec%%=*}"
    # (no `| grep -q` here: with pipefail, grep quitting early makes the
    # producer die of SIGPIPE and the test fail at random)
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]; then
      missing+=("$spec")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root
  local need_update=0
  for spec in "${missing[@]}"; do
    pkg="${spec%%=*}"
    case "$(apt-cache policy "$pkg" 2>/dev/null || true)" in
      *"Candidate: ("*|"") need_update=1 ;;
    esac
  done
  if [ "$need_update" = 1 ]; then
    log "apt-get update (a package has no install candidate)"
    apt-get update -qq || die "apt-get update failed" "check the Debian mirror in /etc/apt/sources.list.d"
  fi
  # Packages like prometheus ship init scripts whose postinst would start a
  # daemon on the default port. Forbid service starts during the install
  # (policy-rc.d exit 101), unless the machine already has a policy in place.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  log "apt-get install ${missing[*]}"
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >"$KP_LOGS/apt-$COMPONENT.log" 2>&1 || rc=$?
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" -eq 0 ] || { tail -n 20 "$KP_LOGS/apt-$COMPONENT.log" >&2; die "apt-get install ${missing[*]} failed (log: $KP_LOGS/apt-$COMPONENT.log)" "fix apt (dpkg --configure -a, apt-get update) and re-run"; }
}

# stop_debian_daemon NAME BINARY: a package's postinst may have started its
# daemon anyway (e.g. a machine without policy-rc.d). Stop it so it does not
# hold the default port or the package's data directory; the lab runs its
# own instance on its own port.
stop_debian_daemon() {
  local name="$1" binary="$2" pid
  if [ -x "/etc/init.d/$name" ] && "/etc/init.d/$name" status >/dev/null 2>&1; then
    log "stopping the $name service started by the Debian package"
    "/etc/init.d/$name" stop >/dev/null 2>&1 || true
  fi
  for pid in $(pgrep -x -f "$binary( .*)?" 2>/dev/null || true); do
    # Only a daemon run by the package's system user is the package's; the
    # lab's own instances run as root and are left alone.
    if [ "$(ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')" = "$name" ]; then
      log "stopping $binary (pid $pid, user $name) started by the Debian package"
      kill "$pid" 2>/dev/null || true
    fi
  done
}

# Seconds since this script started, for the summary line all.sh prints.
kp_elapsed() { echo $((SECONDS)); }

# A Debian package that ships a daemon: check its upstream version against the
# pin (fail) and its Debian revision (warn), and keep the packaged service off
# so only the processes we start ever run.
ensure_debian_daemon() {
  local pkg="$1" want="$2" pinned="$3" bin="$4" pin_var="$5" installed
  installed="$(dpkg-query -W -f='${Version}' "$pkg")"
  case "$installed" in
    "$want"*) ;;
    *) die "Debian $pkg is $installed, expected $want (pinned $pinned)" "update $pin_var in lab/components/versions.env after checking the tests still pass with it" ;;
  esac
  [ "$installed" = "$pinned" ] || warn "Debian revision $installed differs from the pinned $pinned (same upstream $want)"
  stop_debian_daemon "$pkg" "$bin"
  if command -v update-rc.d >/dev/null 2>&1 && [ -x "/etc/init.d/$pkg" ]; then
    update-rc.d "$pkg" disable >/dev/null 2>&1 || true
  fi
}

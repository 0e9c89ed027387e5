#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Alertmanager from the Debian package (bookworm ships 0.25).
#
# Like prometheus.sh: the package's postinst would start a system daemon on
# :9093; the component tests and the lab image run their own instance (own
# config, port and data dir), so the package's daemon stays stopped and only
# its binaries are used (/usr/bin/prometheus-alertmanager, /usr/bin/amtool).
# Output: symlinks $CACHE/bin/alertmanager, $CACHE/bin/amtool; stamp alertmanager-<ver>.
set -euo pipefail
COMPONENT=alertmanager
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="${ALERTMANAGER_DEB%%-*}"
BIN=/usr/bin/prometheus-alertmanager
if stamp_ok "alertmanager-$V" "$BIN" /usr/bin/amtool "$CACHE_BIN/alertmanager"; then
  log "alertmanager $V already installed"
  exit 0
fi

apt_ensure prometheus-alertmanager
ensure_debian_daemon prometheus-alertmanager "$V" "$ALERTMANAGER_DEB" "$BIN" ALERTMANAGER_DEB

mkdir -p "$CACHE_BIN"
ln -sfn "$BIN" "$CACHE_BIN/alertmanager"
ln -sfn /usr/bin/amtool "$CACHE_BIN/amtool"
"$BIN" --version >/dev/null 2>&1 || die "$BIN does not run" "apt-get install --reinstall prometheus-alertmanager"
stamp_set "alertmanager-$V"
record_time "alertmanager-$V" "$SECONDS"
log "installed $("$BIN" --version 2>&1 | head -n1)"

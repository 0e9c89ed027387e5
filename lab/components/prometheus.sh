#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Prometheus from the Debian package (bookworm ships 2.42).
#
# The package's postinst would start a system daemon on :9090 with its own
# data dir; the lab and the component tests run their own instance (own
# config, own port, data in a state dir), so we keep the package's daemon
# stopped and use only its binaries (/usr/bin/prometheus, /usr/bin/promtool).
# Output: symlinks $CACHE/bin/prometheus, $CACHE/bin/promtool; stamp prometheus-<ver>.
set -euo pipefail
COMPONENT=prometheus
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="$PROMETHEUS_VERSION"
if stamp_ok "prometheus-$V" /usr/bin/prometheus /usr/bin/promtool "$CACHE_BIN/prometheus"; then
  log "prometheus $V already installed"
  exit 0
fi

apt_ensure prometheus
ensure_debian_daemon prometheus "$V" "$PROMETHEUS_DEB" /usr/bin/prometheus PROMETHEUS_VERSION

mkdir -p "$CACHE_BIN"
ln -sfn /usr/bin/prometheus "$CACHE_BIN/prometheus"
ln -sfn /usr/bin/promtool "$CACHE_BIN/promtool"
/usr/bin/prometheus --version >/dev/null 2>&1 || die "/usr/bin/prometheus does not run" "apt-get install --reinstall prometheus"
stamp_set "prometheus-$V"
record_time "prometheus-$V" "$SECONDS"
log "installed $(/usr/bin/prometheus --version 2>&1 | head -n1)"

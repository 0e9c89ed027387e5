#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# InfluxDB 1.x from the Debian package (bookworm ships 1.6.7).
#
# As with Prometheus, only the binaries are used (/usr/bin/influxd and the
# `influx` CLI from influxdb-client); the tests run their own influxd on
# 127.0.0.1:18086 with data in a state dir, so the package's daemon is kept
# stopped. Output: symlinks $CACHE/bin/influxd (+ influx); stamp influxdb-<ver>.
set -euo pipefail
COMPONENT=influxdb
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="$INFLUXDB_VERSION"
if stamp_ok "influxdb-$V" /usr/bin/influxd "$CACHE_BIN/influxd"; then
  log "influxdb $V already installed"
  exit 0
fi

# influxdb-client carries the `influx` CLI (handy for debugging, not required).
apt_ensure influxdb influxdb-client
ensure_debian_daemon influxdb "$V" "$INFLUXDB_DEB" /usr/bin/influxd INFLUXDB_VERSION

mkdir -p "$CACHE_BIN"
ln -sfn /usr/bin/influxd "$CACHE_BIN/influxd"
[ -x /usr/bin/influx ] && ln -sfn /usr/bin/influx "$CACHE_BIN/influx"
/usr/bin/influxd version >/dev/null 2>&1 || die "/usr/bin/influxd does not run" "apt-get install --reinstall influxdb"
stamp_set "influxdb-$V"
record_time "influxdb-$V" "$SECONDS"
log "installed $(/usr/bin/influxd version 2>&1 | head -n1)"

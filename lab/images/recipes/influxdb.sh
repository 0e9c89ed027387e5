# InfluxDB 1.6.7 (Debian package binaries, installed by lab/components/influxdb.sh)
# with an entrypoint that follows the official influxdb:1.x image's contract:
# `influxd` reads INFLUXDB_<SECTION>_<KEY> overrides itself (e.g.
# INFLUXDB_HTTP_AUTH_ENABLED, INFLUXDB_HTTP_HTTPS_ENABLED), and on a fresh
# data dir INFLUXDB_DB, INFLUXDB_ADMIN_USER/_PASSWORD and INFLUXDB_USER/
# _USER_PASSWORD create the database and users (init-influxdb.sh).
REF="kubeproof.local/influxdb:$INFLUXDB_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/entrypoint.sh"],"Cmd":["influxd"],"ExposedPorts":{"8086/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  bash "$LAB_DIR/components/influxdb.sh" >&2
  mkdir -p "$1/usr/bin" "$1/etc/influxdb" "$1/var/lib/influxdb"
  cp -L /usr/bin/influxd "$1/usr/bin/influxd"
  [ -x /usr/bin/influx ] && cp -L /usr/bin/influx "$1/usr/bin/influx"
  cp -L /etc/influxdb/influxdb.conf "$1/etc/influxdb/influxdb.conf"
  cat > "$1/entrypoint.sh" <<'SH'
#!/bin/bash
# influxdb:1.x-compatible entrypoint (kubeproof lab image).
set -e
if [ "${1:0:1}" = '-' ]; then set -- influxd "$@"; fi
if [ "$1" = 'influxd' ]; then /init-influxdb.sh "${@:2}"; fi
exec "$@"
SH
  cat > "$1/init-influxdb.sh" <<'SH'
#!/bin/bash
# First start only (no meta.db yet): start influxd on localhost without auth,
# create the database and users from the environment, stop it.
set -e
META="${INFLUXDB_META_DIR:-/var/lib/influxdb/meta}"
[ -f "$META/meta.db" ] && exit 0
[ -n "$INFLUXDB_DB$INFLUXDB_ADMIN_USER$INFLUXDB_USER" ] || exit 0
echo "init-influxdb: first start, creating database ${INFLUXDB_DB:-<none>} and users"
INIT_PORT=18086
INFLUXDB_HTTP_BIND_ADDRESS=127.0.0.1:$INIT_PORT INFLUXDB_HTTP_HTTPS_ENABLED=false INFLUXDB_HTTP_AUTH_ENABLED=false \
  INFLUXDB_BIND_ADDRESS=127.0.0.1:18089 influxd "$@" &
pid=$!
q() { local i; for i in 1 2 3; do curl -sf -XPOST "http://127.0.0.1:$INIT_PORT/query" --data-urlencode "q=$1" >/dev/null && return 0; sleep 1; done; echo "init-influxdb: query failed: ${1%% WITH PASSWORD*}" >&2; return 1; }
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$INIT_PORT/ping" >/dev/null && break; sleep 0.5; done
[ -n "$INFLUXDB_DB" ] && q "CREATE DATABASE \"$INFLUXDB_DB\""
if [ -n "$INFLUXDB_ADMIN_USER" ]; then
  q "CREATE USER \"$INFLUXDB_ADMIN_USER\" WITH PASSWORD '${INFLUXDB_ADMIN_PASSWORD//\'/\\\'}' WITH ALL PRIVILEGES"
fi
if [ -n "$INFLUXDB_USER" ]; then
  q "CREATE USER \"$INFLUXDB_USER\" WITH PASSWORD '${INFLUXDB_USER_PASSWORD//\'/\\\'}'"
  [ -n "$INFLUXDB_DB" ] && q "GRANT ALL ON \"$INFLUXDB_DB\" TO \"$INFLUXDB_USER\""
fi
kill -TERM "$pid"; wait "$pid" || true
echo "init-influxdb: done"
SH
  chmod +x "$1/entrypoint.sh" "$1/init-influxdb.sh"
  "$1/usr/bin/influxd" version >&2
}

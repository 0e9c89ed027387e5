# PostgreSQL 15 from Debian's postgresql-15 package on the Debian base, with
# an entrypoint that follows the official postgres image's contract:
# POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust),
# POSTGRES_USER (default postgres), POSTGRES_DB (default the user),
# POSTGRES_INITDB_ARGS; on first start (empty PGDATA) initdb, then
# /docker-entrypoint-initdb.d/*.sql, *.sql.gz and *.sh. PGDATA defaults to
# /var/lib/postgresql/data. Started as root it prepares PGDATA and drops to
# the postgres user (uid 999); started as any other uid it runs as that uid.
# Left out: the Debian cluster wrappers (postgresql-common, perl) and the LLVM
# JIT (libllvm14, ~100 MB): JIT is simply unavailable, queries run unchanged.
# shellcheck source=../debs.sh
source "$LAB_DIR/images/debs.sh"
REF="kubeproof.local/postgresql:${POSTGRESQL_DEB%%-*}"
BASE=debian
CONFIG='{"Entrypoint":["docker-entrypoint.sh"],"Cmd":["postgres"],"ExposedPorts":{"5432/tcp":{}},"StopSignal":"SIGINT","Env":["PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8","PGDATA=/var/lib/postgresql/data"]}'
populate() {
  local root="$1"
  debs_into "$root" 'perl|perl-base|perl-modules-.*|libperl.*|libgdbm.*|libjson-perl|postgresql-common|postgresql-client-common|ssl-cert|ucf|sensible-utils|locales|libc-l10n|libllvm.*|libz3-.*' \
    "postgresql-15=$POSTGRESQL_DEB" "postgresql-client-15=$POSTGRESQL_DEB"
  rm -rf "$root/usr/lib/postgresql/15/lib/llvmjit"* "$root/usr/lib/postgresql/15/lib/bitcode"
  base_user "$root" postgres 999 /var/lib/postgresql
  mkdir -p "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/docker-entrypoint-initdb.d" "$root/usr/local/bin"
  chown -R 999:999 "$root/var/lib/postgresql" "$root/var/run/postgresql"
  chmod 700 "$root/var/lib/postgresql/data"
  chmod 3777 "$root/var/run/postgresql"
  cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/bash
# postgres-image-compatible entrypoint (kubeproof lab image).
set -Eeo pipefail
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
[ "$1" = postgres ] || exec "$@"
: "${PGDATA:=/var/lib/postgresql/data}" "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}" "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
export PGDATA POSTGRES_USER POSTGRES_DB
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA" && chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi
mkdir -p "$PGDATA" && chmod 700 "$PGDATA" 2>/dev/null || true
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    echo "error: database is uninitialized and POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a word list, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"
  # Local socket only while the init scripts run, so no client sees a half-made database.
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -p 5432" start
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<"CREATE DATABASE :\"db\";"
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *) [ -e "$f" ] && echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi
exec "$@"
SH
  chmod +x "$root/usr/local/bin/docker-entrypoint.sh"
  "$root/usr/lib/postgresql/15/bin/postgres" --version >&2 || true
}

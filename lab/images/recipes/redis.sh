# Redis 7.0 from Debian's redis-server package on the Debian base, with an
# entrypoint that follows the official redis image's contract: arguments go
# to redis-server (`--requirepass …`, `--appendonly yes`; a first argument
# starting with `-` or ending in `.conf` gets redis-server put in front), the
# working and data directory is /data, and protected mode is off (as the
# official image builds it), so auth is exactly what the arguments say.
# Started as root it owns /data and drops to the redis user (uid 999).
# shellcheck source=../debs.sh
source "$LAB_DIR/images/debs.sh"
REDIS_UPSTREAM="${REDIS_DEB#*:}"
REF="kubeproof.local/redis:${REDIS_UPSTREAM%%-*}"
BASE=debian
CONFIG='{"Entrypoint":["docker-entrypoint.sh"],"Cmd":["redis-server"],"WorkingDir":"/data","ExposedPorts":{"6379/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  local root="$1"
  debs_into "$root" 'NONE' "redis-server=$REDIS_DEB" "redis-tools=$REDIS_DEB"
  rm -rf "$root/etc/redis" "$root/lib/systemd" "$root/usr/lib/systemd" "$root/etc/init.d" "$root/etc/logrotate.d"
  base_user "$root" redis 999 /data
  mkdir -p "$root/data" "$root/usr/local/bin"
  chown 999:999 "$root/data"
  cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/bash
# redis-image-compatible entrypoint (kubeproof lab image).
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$BASH_SOURCE" "$@"
fi
if [ "$1" = redis-server ]; then
  case " $* " in *" --protected-mode "*) ;; *) set -- "$@" --protected-mode no ;; esac
fi
umask 0077
exec "$@"
SH
  chmod +x "$root/usr/local/bin/docker-entrypoint.sh"
  LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu" "$root/usr/bin/redis-server" --version >&2 || true
}

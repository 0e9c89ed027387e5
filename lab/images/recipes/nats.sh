# NATS server 2.9 (JetStream built in) from Debian's nats-server package on
# the Debian base. Like the official nats image, arguments go to nats-server
# (`-js --store_dir /data -m 8222`); a first argument starting with `-` gets
# nats-server put in front. Runs as the nats user (uid 999); /data is its.
# shellcheck source=../debs.sh
source "$LAB_DIR/images/debs.sh"
NATS_UPSTREAM="${NATS_DEB%%-*}"
REF="kubeproof.local/nats:$NATS_UPSTREAM"
BASE=debian
CONFIG='{"Entrypoint":["docker-entrypoint.sh"],"Cmd":["nats-server","-m","8222"],"User":"999:999","WorkingDir":"/data","ExposedPorts":{"4222/tcp":{},"8222/tcp":{},"6222/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  local root="$1"
  debs_into "$root" 'NONE' "nats-server=$NATS_DEB"
  rm -rf "$root/lib/systemd" "$root/usr/lib/systemd" "$root/etc/nats-server.conf"
  base_user "$root" nats 999 /data
  mkdir -p "$root/data" "$root/usr/local/bin"
  chown 999:999 "$root/data"
  cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/bash
# nats-image-compatible entrypoint (kubeproof lab image).
set -e
if [ "${1#-}" != "$1" ]; then set -- nats-server "$@"; fi
exec "$@"
SH
  chmod +x "$root/usr/local/bin/docker-entrypoint.sh"
  "$root/usr/sbin/nats-server" --version >&2
}

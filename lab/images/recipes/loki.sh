# Loki 3.5 single binary (built from the Go module by lab/components/loki.sh),
# scratch image. Same contract as grafana/loki: /usr/bin/loki, config flag
# -config.file, data under /loki (mount a volume there), user 10001.
REF="kubeproof.local/loki:$LOKI_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/usr/bin/loki"],"Cmd":["-config.file=/etc/loki/local-config.yaml"],"User":"10001:10001","ExposedPorts":{"3100/tcp":{}}}'
populate() {
  bash "$LAB_DIR/components/loki.sh" >&2
  mkdir -p "$1/usr/bin" "$1/etc/loki" "$1/loki" "$1/tmp"
  cp -L "$CACHE/bin/loki-$LOKI_VERSION" "$1/usr/bin/loki"
  chmod 1777 "$1/tmp"
  chown 10001:10001 "$1/loki"
}

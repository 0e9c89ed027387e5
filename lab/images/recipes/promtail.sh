# Promtail 3.5 (built from the Go module by lab/components/loki.sh; CGO off,
# so no journal target), scratch image. Same contract as grafana/promtail:
# /usr/bin/promtail -config.file=/etc/promtail/config.yml.
REF="kubeproof.local/promtail:$LOKI_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/usr/bin/promtail"],"Cmd":["-config.file=/etc/promtail/config.yml"]}'
populate() {
  bash "$LAB_DIR/components/loki.sh" >&2
  [ -x "$CACHE/bin/promtail-$LOKI_VERSION" ] || { echo "promtail $LOKI_VERSION was not built (see $CACHE/stamps/promtail-$LOKI_VERSION.failed)" >&2; return 1; }
  mkdir -p "$1/usr/bin" "$1/etc/promtail" "$1/tmp" "$1/run/promtail"
  cp -L "$CACHE/bin/promtail-$LOKI_VERSION" "$1/usr/bin/promtail"
  chmod 1777 "$1/tmp"
}

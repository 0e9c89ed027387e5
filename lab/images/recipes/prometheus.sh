# Prometheus 2.42 (Debian package binary, installed by lab/components/prometheus.sh)
# with Debian's classic web UI assets. Same contract as prom/prometheus:
# entrypoint /bin/prometheus, config /etc/prometheus/prometheus.yml, data
# /prometheus, user nobody. Debian base: the binary links libc.
# shellcheck disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../../components/versions.env"
REF="kubeproof.local/prometheus:$PROMETHEUS_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/bin/prometheus"],"Cmd":["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"],"User":"65534:65534","WorkingDir":"/prometheus","ExposedPorts":{"9090/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  bash "$LAB_DIR/components/prometheus.sh" >&2
  mkdir -p "$1/bin" "$1/usr/share/prometheus" "$1/etc/prometheus" "$1/prometheus"
  cp -L /usr/bin/prometheus /usr/bin/promtool "$1/bin/"
  cp -rL /usr/share/prometheus/web "$1/usr/share/prometheus/"
  cp -rL /etc/prometheus/consoles /etc/prometheus/console_libraries "$1/etc/prometheus/"
  cat > "$1/etc/prometheus/prometheus.yml" <<'YML'
global: { scrape_interval: 15s }
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ["localhost:9090"] }]
YML
  chown 65534:65534 "$1/prometheus"
  "$1/bin/prometheus" --version >&2
}

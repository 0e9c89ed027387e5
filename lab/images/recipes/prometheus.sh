# Prometheus v2.42.0 built from its Go module (github.com/prometheus/prometheus
# v0.42.0) with the upstream version ldflags. Not the Debian package binary:
# Debian builds Prometheus without Kubernetes service discovery
# ("field kubernetes_sd_configs not found"), which the conveyor's scrape
# config needs. The React UI is not in the module zip (a generated npm build),
# so / and /graph have no UI; the HTTP API (/api/v1/*, /-/ready) is complete.
# Same contract as prom/prometheus: /bin/prometheus, /etc/prometheus/prometheus.yml,
# data in /prometheus, user nobody. Debian base for a shell (kubectl exec).
# shellcheck disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../../components/versions.env"
REF="kubeproof.local/prometheus:$PROMETHEUS_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/bin/prometheus"],"Cmd":["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"],"User":"65534:65534","WorkingDir":"/prometheus","ExposedPorts":{"9090/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  local v="$PROMETHEUS_VERSION" bindir="$CACHE/gobin/prometheus-v$PROMETHEUS_VERSION" dir work vp=github.com/prometheus/common/version
  if [ ! -x "$bindir/prometheus" ]; then
    dir="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@v0.${v#2.}" | jq -r '.Dir // empty')"
    [ -n "$dir" ] && [ -d "$dir" ] || { echo "go mod download github.com/prometheus/prometheus@v0.${v#2.} failed" >&2; return 1; }
    work="$(mktemp -d /var/tmp/kplab-go.XXXXXX)"
    cp -r "$dir/." "$work/" && chmod -R u+w "$work"
    echo "go build github.com/prometheus/prometheus/cmd/prometheus (v$v, ~5 min cold on 2 cores)" >&2
    mkdir -p "$bindir.tmp"
    (cd "$work" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=mod" go build -trimpath -tags netgo \
      -ldflags "-s -w -X $vp.Version=$v -X $vp.Revision=v$v -X $vp.Branch=HEAD -X $vp.BuildUser=kubeproof -X $vp.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)" \
      -o "$bindir.tmp/prometheus" ./cmd/prometheus) >&2 || { rm -rf "$work"; return 1; }
    rm -rf "$work" "$bindir" && mv "$bindir.tmp" "$bindir"
  fi
  mkdir -p "$1/bin" "$1/etc/prometheus" "$1/prometheus"
  cp "$bindir/prometheus" "$1/bin/prometheus"
  cat > "$1/etc/prometheus/prometheus.yml" <<'YML'
global: { scrape_interval: 15s }
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ["localhost:9090"] }]
YML
  chown 65534:65534 "$1/prometheus"
  "$1/bin/prometheus" --version >&2
}

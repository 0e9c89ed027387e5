# Prometheus v2.42.0 built from its Go module (github.com/prometheus/prometheus
# v0.42.0) with the upstream version ldflags. Not the Debian package binary:
# Debian builds Prometheus without Kubernetes service discovery
# ("field kubernetes_sd_configs not found"), which the conveyor's scrape
# config needs. The React UI is a generated npm build, not in the module zip:
# it is built here from the module's web/ui sources with npm (the module zip
# also drops the vendored flot charts, so flot@0.8.3 comes from npm), and
# served from ./web/ui/static the way an upstream source checkout serves it
# (working directory /usr/share/prometheus; Prometheus picks the asset path
# from the working directory's name).
# Same contract as prom/prometheus: /bin/prometheus, /etc/prometheus/prometheus.yml,
# data in /prometheus, user nobody. Debian base for a shell (kubectl exec).
REF="kubeproof.local/prometheus:$PROMETHEUS_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/bin/prometheus"],"Cmd":["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"],"User":"65534:65534","WorkingDir":"/usr/share/prometheus","ExposedPorts":{"9090/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  local v="$PROMETHEUS_VERSION" mod="github.com/prometheus/prometheus@v0.${PROMETHEUS_VERSION#2.}" vp=github.com/prometheus/common/version
  local bindir="$CACHE/gobin/prometheus-v$PROMETHEUS_VERSION" ui="$CACHE/prometheus-ui-v$PROMETHEUS_VERSION" dir work
  if [ ! -x "$bindir/prometheus" ]; then
    echo "go build github.com/prometheus/prometheus/cmd/prometheus (v$v, ~5 min cold on 2 cores)" >&2
    GO_TAGS=netgo GO_LDFLAGS="-X $vp.Version=$v -X $vp.Revision=v$v -X $vp.Branch=HEAD -X $vp.BuildUser=kubeproof -X $vp.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)" \
      go_build_module "$mod" "$bindir/prometheus" github.com/prometheus/prometheus/cmd/prometheus >&2
  fi
  if [ ! -f "$ui/static/react/index.html" ]; then
    dir="$(go_module_json "$mod" | jq -r '.Dir // empty')"
    work="$(mktemp -d /var/tmp/kplab-promui.XXXXXX)"
    cp -r "$dir/web/ui/." "$work/" && chmod -R u+w "$work"
    echo "building the Prometheus $v React UI with npm (~2 min)" >&2
    ( cd "$work" && npm ci --no-audit --no-fund --loglevel=error &&
      mkdir -p react-app/src/vendor/flot flot && (cd flot && npm pack --silent flot@0.8.3 >/dev/null && tar xzf flot-0.8.3.tgz) &&
      for f in jquery.flot jquery.flot.stack jquery.flot.time jquery.flot.crosshair jquery.flot.selection; do cp "flot/package/$f.js" react-app/src/vendor/flot/; done &&
      GENERATE_SOURCEMAP=false DISABLE_ESLINT_PLUGIN=true npm run build ) >&2 || { rm -rf "$work"; return 1; }
    rm -rf "$ui.tmp" && mkdir -p "$ui.tmp" && cp -r "$work/static" "$ui.tmp/static"
    rm -rf "$work" "$ui" && mv "$ui.tmp" "$ui"
  fi
  mkdir -p "$1/bin" "$1/etc/prometheus" "$1/prometheus" "$1/usr/share/prometheus/web/ui"
  cp "$bindir/prometheus" "$1/bin/prometheus"
  cp -r "$ui/static" "$1/usr/share/prometheus/web/ui/static"
  cat > "$1/etc/prometheus/prometheus.yml" <<'YML'
global: { scrape_interval: 15s }
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ["localhost:9090"] }]
YML
  chown 65534:65534 "$1/prometheus"
  "$1/bin/prometheus" --version >&2
}

# Traefik v3 ingress controller (cmd/traefik from the Go module proxy), scratch
# image, user 65532. Listens on unprivileged ports (8000/8443); the Services in
# lab/manifests/optional/traefik.yaml map 80/443 to them. The module zip ships
# webui/static with one placeholder file, so the go:embed compiles; the
# dashboard is not built (not needed).
#
# The proxy here refuses (403) some dependency zips, so the module is built
# from a patched copy (what upstream builds, less the unreachable parts):
#  - github.com/containous/go-http-auth (basic/digest auth middleware) at the
#    pinned 2026 commit: replaced by its 2020 commit, which v3.6 used;
#  - 13 of lego's ~190 ACME DNS providers whose SDKs are refused (alidns, aliesa,
#    azion, dnsimple, edgedns, edgeone, huaweicloud, oraclecloud, regfish,
#    sakuracloud, tencentcloud, ucloud, yandexcloud): dropped from lego's
#    provider table. ACME DNS challenges cannot run on the lab anyway;
#  - the nested module github.com/traefik/traefik/dynamic/ext, which go.mod
#    replaces by ./pkg/config/dynamic/ext but the module zip leaves out (and
#    the proxy does not serve): an extension point embedded inline in the
#    dynamic HTTP and Router config, copied by value: empty structs here.
REF="kubeproof.local/traefik:${TRAEFIK_VERSION#v}"
BASE=scratch
CONFIG='{"Entrypoint":["/traefik"],"User":"65532:65532","ExposedPorts":{"8000/tcp":{},"8443/tcp":{}}}'
TRAEFIK_HTTP_AUTH=v0.4.1-0.20200324110947-a37a7636d23e
TRAEFIK_DROPPED_DNS="alidns aliesa azion dnsimple edgedns edgeone huaweicloud oraclecloud regfish sakuracloud tencentcloud ucloud yandexcloud"

# traefik_source <dir>: the patched module copy described above
traefik_source() {
  local dir="$1" json lego p
  json="$(go_module_json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION")" || { printf '%s\n' "$json" >&2; return 1; }
  cp -r "$(jq -r .Dir <<<"$json")/." "$dir/" && chmod -R u+w "$dir"
  lego="$(grep -E '^\s+github.com/go-acme/lego/v5 ' "$dir/go.mod" | awk '{print $2}')"
  json="$(go_module_json "github.com/go-acme/lego/v5@$lego")" || { printf '%s\n' "$json" >&2; return 1; }
  mkdir -p "$dir/third_party/lego"
  cp -r "$(jq -r .Dir <<<"$json")/." "$dir/third_party/lego/" && chmod -R u+w "$dir/third_party/lego"
  for p in $TRAEFIK_DROPPED_DNS; do
    rm -rf "$dir/third_party/lego/providers/dns/$p"
    # its import line, and its case line with the return under it
    perl -0pi -e "s{\\t\"github.com/go-acme/lego/v5/providers/dns/$p\"\\n}{}; s{\\tcase [^\\n]*\\n\\t\\treturn $p\\.NewDNSProvider\\(\\)\\n}{}" \
      "$dir/third_party/lego/providers/dns/zz_gen_dns_providers.go"
  done
  mkdir -p "$dir/pkg/config/dynamic/ext"
  printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n' > "$dir/pkg/config/dynamic/ext/go.mod"
  printf '// Package ext: placeholder for the module the zip leaves out (lab/images/recipes/traefik.sh).\npackage ext\n\n// HTTP extends dynamic.HTTPConfiguration.\ntype HTTP struct{}\n\n// Router extends dynamic.Router.\ntype Router struct{}\n' > "$dir/pkg/config/dynamic/ext/ext.go"
  (cd "$dir" && GOFLAGS=-mod=mod go mod edit \
    -replace "github.com/abbot/go-http-auth=github.com/containous/go-http-auth@$TRAEFIK_HTTP_AUTH" \
    -replace "github.com/go-acme/lego/v5=./third_party/lego")
}

populate() {
  local bin="$CACHE/gobin/traefik-$TRAEFIK_VERSION-patched1/traefik" src
  if [ ! -x "$bin" ]; then
    src="$(mktemp -d /var/tmp/kplab-traefik.XXXXXX)"
    traefik_source "$src" || { rm -rf "$src"; return 1; }
    GO_LDFLAGS="-X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION#v}" \
      go_build_module "$src" "$bin" ./cmd/traefik || { rm -rf "$src"; return 1; }
    rm -rf "$src"
  fi
  cp "$bin" "$1/traefik"
  mkdir -p "$1/tmp" && chmod 1777 "$1/tmp"
}

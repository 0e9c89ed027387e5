# Sealed Secrets controller (bitnami-labs/sealed-secrets cmd/controller) from
# the Go module proxy, scratch image laid out like upstream's (distroless
# static, /usr/local/bin/controller, user 1001), so the upstream manifest's
# `command: [controller]` runs unchanged. The module's go.mod names itself
# github.com/bitnami/sealed-secrets, hence that package path; sum.golang.org
# knows the module (no GONOSUMDB needed).
REF="kubeproof.local/sealed-secrets-controller:${SEALED_SECRETS_VERSION#v}"
BASE=scratch
CONFIG='{"Entrypoint":["controller"],"User":"1001","Env":["PATH=/usr/local/bin"],"ExposedPorts":{"8080/tcp":{},"8081/tcp":{}}}'
export GO_LDFLAGS="-X main.VERSION=$SEALED_SECRETS_VERSION"
populate() {
  mkdir -p "$1/usr/local/bin"
  go_bin "github.com/bitnami-labs/sealed-secrets@$SEALED_SECRETS_VERSION" github.com/bitnami/sealed-secrets/cmd/controller "$1/usr/local/bin"
}

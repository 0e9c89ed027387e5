#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The Helm CLI (helm.sh/helm/v3), built from its Go module: the Helm steps
# install, upgrade, roll back, lint and render charts with it. (Reading a
# release needs no helm: the steps decode its Secret from the cluster.)
#
# Built as the main module (go_build_module in lab/lib.sh) with the ldflags of
# Helm's own Makefile: the version (so `helm version --short` prints the pin
# instead of the source's bare "v3.22") and the Kubernetes version that lint
# and template assume, derived from the k8s.io/client-go the module requires.
# Output: $CACHE/helm-<ver>/helm and the symlink $CACHE/bin/helm, stamp
# helm-<ver>. Idempotent: a second run only checks the stamp.
#
# Usage: bash lab/components/helm.sh      (HELM_VERSION overrides the pin)
set -euo pipefail
COMPONENT=helm
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="$HELM_VERSION"
MODULE=helm.sh/helm/v3
OUT="$CACHE/helm-$V/helm"
BUILD_LOG="$BUILD_LOGS/helm-$V.log"
mkdir -p "$CACHE_BIN" "$BUILD_LOGS"

if stamp_ok "helm-$V" "$OUT"; then
  ln -sfn "../helm-$V/helm" "$CACHE_BIN/helm"
  log "helm $V already built ($OUT)"
  exit 0
fi

need_cmd go "Go is expected in /usr/local/go/bin"
need_cmd jq "apt-get install jq"
start=$SECONDS
# client-go v0.N.x means Kubernetes 1.N (Helm's Makefile: major = 0 + 1).
gomod="$(go_module_json "$MODULE@$V" | jq -r .GoMod)" || gomod=""
[ -f "$gomod" ] || die "cannot read $MODULE@$V from the Go module proxy" "check GOPROXY and that $V is listed: go list -m -versions $MODULE"
client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")"
k8s_minor="$(cut -d. -f2 <<<"$client_go")"
[ -n "$k8s_minor" ] || die "no k8s.io/client-go requirement found in $MODULE@$V's go.mod"
ldflags="-X $MODULE/internal/version.version=$V -X $MODULE/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X $MODULE/$pkg.k8sVersionMajor=1 -X $MODULE/$pkg.k8sVersionMinor=$k8s_minor"
done
log "go build $MODULE@$V with $(go env GOVERSION) (log: $BUILD_LOG)"
GO_LDFLAGS="$ldflags" go_build_module "$MODULE@$V" "$OUT" "$MODULE/cmd/helm" >"$BUILD_LOG" 2>&1 \
  || { tail -n 30 "$BUILD_LOG" >&2; die "go build $MODULE@$V failed (log: $BUILD_LOG)" "check the Go module proxy and that the local Go ($(go env GOVERSION)) is at least what Helm $V's go.mod asks for"; }
got="$("$OUT" version --short 2>/dev/null)" || die "built $OUT does not run" "delete it and re-run"
case "$got" in
  "$V"*) ;;
  *) die "built helm reports '$got', expected $V" "check the version ldflags in $0" ;;
esac
ln -sfn "../helm-$V/helm" "$CACHE_BIN/helm"
stamp_set "helm-$V"
record_time "helm-$V" $((SECONDS - start))
log "built helm $got in $((SECONDS - start))s (Kubernetes 1.$k8s_minor assumed by lint/template)"

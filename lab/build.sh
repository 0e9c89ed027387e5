#!/usr/bin/env bash
# lab:build — build or install every lab component at its pinned version
# (lab/pins.env) into ${KUBEPROOF_CACHE:-~/.cache/kubeproof}. Idempotent: each
# component has a stamp keyed by its pin (and recipe hash for images); a
# second run does nothing. Build logs and times: $CACHE/logs/.
#   lab/build.sh            everything
#   lab/build.sh k8s        only Kubernetes;  lab/build.sh images  only images
#   lab/build.sh image:NAME one image recipe (lab/images/recipes/NAME.sh)
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

what="${1:-all}"
mkdir -p "$BUILD_LOGS" "$IMAGES"

# Kubernetes server binaries from the wrapper module lab/k8s (go.mod made from
# the pins by gen-gomod.sh), with the version ldflags `kubectl version` and
# /version report. (run_build calls it in an `if`, where set -e is off.)
build_k8s() {
  local dest="$CACHE/k8s/$K8S_VERSION" major minor pkg ld="" c
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy) pkgs=()
  "$LAB_DIR/k8s/gen-gomod.sh" || return 1
  major="$(echo "$K8S_VERSION" | sed -E 's/^v([0-9]+)\..*/\1/')"
  minor="$(echo "$K8S_VERSION" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ld="$ld -X $pkg.gitCommit=$K8S_GIT_COMMIT -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  rm -rf "$dest.tmp"
  GO_LDFLAGS="$ld" GO_TAGS="notest,grpcnotrace,providerless" go_build_module "$LAB_DIR/k8s" "$dest.tmp/bin/" "${pkgs[@]}" || return 1
  for c in "${cmds[@]}"; do test -x "$dest.tmp/bin/$c" || return 1; done
  "$dest.tmp/bin/kube-apiserver" --version || return 1
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
}

T0=$(date +%s)
case "$what" in
  all|debs|k8s|images|image:*) ;;
  *) die "unknown target $what (all | debs | k8s | images | image:NAME)" ;;
esac
if [ "$what" = all ] || [ "$what" = debs ]; then
  # shellcheck disable=SC2086  # a word list by design
  if [ -z "$(apt_missing $DEB_PACKAGES)" ]; then log "cached: Debian packages"; else apt_ensure $DEB_PACKAGES; fi
fi
if [ "$what" = all ] || [ "$what" = k8s ]; then
  [ -x "$K8S_BIN/kubelet" ] || rm -f "$STAMPS/k8s-$K8S_VERSION.ok"
  run_build "k8s-$K8S_VERSION" "Kubernetes $K8S_VERSION server binaries (go build, ~12-25 min cold on 2 cores)" build_k8s
fi
if [ "$what" = all ] || [ "$what" = images ]; then
  for r in "${LAB_IMAGES[@]}"; do build_image "$r"; done
fi
case "$what" in image:*) build_image "${what#image:}" ;; esac
log "lab:build done in $(( $(date +%s) - T0 ))s; cache: $CACHE"

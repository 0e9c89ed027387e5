#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
# kube-proxy from the Go module proxy into "$1" (a bin directory).
# Static (CGO_ENABLED=0) like upstream release binaries; version ldflags so
# `kubectl version` and /version report the real release.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091
source "$here/../pins.env"
out="${1:?usage: build.sh <out-bin-dir>}"
mkdir -p "$out"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
export PATH="$PATH:/usr/local/go/bin"
"$here/gen-gomod.sh"
ver="${K8S_VERSION}"
major="$(echo "$ver" | sed -E 's/^v([0-9]+)\..*/\1/')"
minor="$(echo "$ver" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')"
date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ld="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld="$ld -X $pkg.gitVersion=$ver -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ld="$ld -X $pkg.gitCommit=${K8S_GIT_COMMIT} -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
done
cd "$here"
cmds="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy"
pkgs=""
for c in $cmds; do pkgs="$pkgs k8s.io/kubernetes/cmd/$c"; done
echo "[k8s] go $(go env GOVERSION); building $cmds @ $ver"
# shellcheck disable=SC2086
go mod download k8s.io/kubernetes
# shellcheck disable=SC2086
time go build -trimpath -tags "notest,grpcnotrace,providerless" -ldflags "$ld" -o "$out/" $pkgs
for c in $cmds; do test -x "$out/$c"; done
"$out/kube-apiserver" --version

#!/usr/bin/env bash
# lab:build — build or install every lab component at its pinned version
# (lab/pins.env) into ${KUBEPROOF_CACHE:-~/.cache/kubeproof}. Idempotent: each
# component has a stamp keyed by its pin (and recipe hash for images); a
# second run does nothing. Build logs and times: $CACHE/logs/.
#   lab/build.sh            everything
#   lab/build.sh k8s        only Kubernetes;  lab/build.sh images  only images
#   lab/build.sh image:NAME one image recipe (lab/images/recipes/NAME.sh)
set -euo pipefail
# shellcheck disable=SC1091
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

what="${1:-all}"
mkdir -p "$CACHE/logs" "$IMAGES"

apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { log "cached: Debian packages"; return 0; }
  [ "$(id -u)" -eq 0 ] || die "Debian packages missing (${missing[*]}) and not root: sudo apt-get install ${missing[*]}"
  # Forbid postinst service starts (containerd/etcd would start system daemons
  # on their default ports); keep an existing policy if the machine has one.
  local own=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own=1; fi
  log "apt-get install ${missing[*]}"
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > "$CACHE/logs/apt-lab.log" 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then
    apt-get update -qq >> "$CACHE/logs/apt-lab.log" 2>&1 && rc=0 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >> "$CACHE/logs/apt-lab.log" 2>&1 || rc=$?
  fi
  [ $own = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || { tail -n 20 "$CACHE/logs/apt-lab.log" >&2; die "apt-get install failed (log: $CACHE/logs/apt-lab.log)"; }
}

build_k8s() {
  local dest="$CACHE/k8s/$K8S_VERSION"
  rm -rf "$dest.tmp"
  "$LAB_DIR/k8s/build.sh" "$dest.tmp/bin"
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
}

# images: key = recipe name + tag + hash of recipe and packer, so editing a
# recipe rebuilds just that image.
build_image() {
  local name="$1" ref tag hash
  ref="$(bash -c "source '$LAB_DIR/pins.env'; source '$LAB_DIR/images/recipes/$name.sh'; echo \$REF")"
  tag="${ref##*:}"
  hash="$(cat "$LAB_DIR/images/recipes/$name.sh" "$LAB_DIR/images/lib.sh" "$LAB_DIR/images/debian-base.packages" "$LAB_DIR/images/debian-base.sh" | sha256sum | cut -c1-10)"
  [ -f "$IMAGES/$name-$tag.tar" ] || rm -f "$STAMPS/img-$name-$tag-$hash.ok"
  run_build "img-$name-$tag-$hash" "image $ref" "$LAB_DIR/images/build-image.sh" "$name"
}

T0=$(date +%s)
case "$what" in
  all|debs|k8s|images|image:*) ;;
  *) die "unknown target $what (all | debs | k8s | images | image:NAME)" ;;
esac
if [ "$what" = all ] || [ "$what" = debs ]; then
  # shellcheck disable=SC2086  # a word list by design
  apt_ensure $DEB_PACKAGES
fi
if [ "$what" = all ] || [ "$what" = k8s ]; then
  [ -x "$K8S_BIN/kubelet" ] || rm -f "$STAMPS/k8s-$K8S_VERSION.ok"
  run_build "k8s-$K8S_VERSION" "Kubernetes $K8S_VERSION server binaries (go build, ~12-25 min cold on 2 cores)" build_k8s
fi
if [ "$what" = all ] || [ "$what" = images ]; then
  for r in pause coredns metrics-server kube-router local-path-provisioner probe node k6; do
    build_image "$r"
  done
fi
case "$what" in image:*) build_image "${what#image:}" ;; esac
log "lab:build done in $(( $(date +%s) - T0 ))s; cache: $CACHE"

#!/usr/bin/env bash
# Builds the shared Debian base layer (debootstrap minbase + the tools the
# probe, the Node.js base and the local-path helper need) as a layer tar.
# usage: debian-base.sh <out-layer.tar>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091
source "$here/../pins.env"
source "$here/lib.sh"
out="${1:?usage: debian-base.sh <out-layer.tar>}"
root="$(mktemp -d /var/tmp/kplab-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include="$(grep -v "^#" "$here/debian-base.packages" | paste -sd, -)" \
  "$DEBIAN_SUITE" "$root" http://deb.debian.org/debian
# trim: apt lists/caches, docs, man pages; keep locales minimal
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/* \
  "${root:?}"/proc/* "${root:?}"/sys/* "${root:?}"/dev/* 2>/dev/null || true
echo "kubeproof-lab" > "$root/etc/hostname"
make_layer "$root" "$out"

#!/usr/bin/env bash
# build-image.sh <recipe-name> : builds lab/images/recipes/<name>.sh into
#   $CACHE/images/<name>-<tag>.tar  (OCI layout tar for `ctr images import`)
#
# A recipe is a small bash file that sets:
#   REF      image reference, e.g. kubeproof.local/pause:3.10
#   BASE     scratch | debian   (debian = the shared debootstrap layer)
#   CONFIG   OCI image config object (JSON): Entrypoint/Cmd/Env/User/WorkingDir
# and defines populate <dir>, which fills the image's top layer.
# Helpers available to recipes: go_bin (below), go_build_module (lab/lib.sh),
# node_binary and node_service (images/lib.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib.sh
source "$here/../lib.sh"
# shellcheck source=lib.sh
source "$here/lib.sh"
name="${1:?usage: build-image.sh <recipe>}"
out="${2:-}"
recipe="$here/recipes/$name.sh"
[ -f "$recipe" ] || die "no recipe $recipe"

# go_bin <module@version> <package-path> <destdir> [binary-name]
# A static Go binary, built once per version into $CACHE/gobin. Modules whose
# sum.golang.org entry the proxy does not serve are listed in GONOSUMDB by
# their recipe; their go.sum still pins every dependency.
go_bin() {
  local modver="$1" pkg="$2" dest="$3" bin="${4:-$(basename "$2")}" bindir
  bindir="$CACHE/gobin/$(echo "$pkg@${modver#*@}" | tr '/@' '__')"
  [ -x "$bindir/$bin" ] || go_build_module "$modver" "$bindir/$bin" "$pkg"
  cp "$bindir/$bin" "$dest/$bin"
}

# debian_base_layer: path of the shared debootstrap layer, built on first use
# (keyed by suite + package list, so changing either rebuilds it).
debian_base_layer() {
  local key f
  # Contents only (cat, not sha256sum's "hash  path" lines): the key must not depend on where the checkout is.
  key="debian-$DEBIAN_SUITE-$(cat "$here/debian-base.packages" "$here/debian-base.sh" | sha256sum | cut -c1-12)"
  f="$IMAGES/layers/$key.tar"
  if [ ! -f "$f" ]; then
    mkdir -p "$IMAGES/layers"
    echo "debootstrap $DEBIAN_SUITE base layer -> $f" >&2
    "$here/debian-base.sh" "$f.tmp" >&2 && mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# shellcheck source=/dev/null  # recipes are checked on their own
source "$recipe"
: "${REF:?recipe must set REF}" "${BASE:?recipe must set BASE}" "${CONFIG:?recipe must set CONFIG}"
tag="${REF##*:}"
[ -n "$out" ] || out="$IMAGES/$name-$tag.tar"

work="$(mktemp -d /var/tmp/kplab-img.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/top"
populate "$work/top"
make_layer "$work/top" "$work/top.tar"
layers=()
case "$BASE" in
  scratch) ;;
  debian)  layers+=("$(debian_base_layer)") ;;
  *) die "unknown BASE $BASE" ;;
esac
layers+=("$work/top.tar")
oci_pack "$out" "$REF" "$CONFIG" "${layers[@]}"
echo "image $REF -> $out ($(du -h "$out" | cut -f1))"

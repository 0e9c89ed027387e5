# shellcheck shell=bash
# Debian packages on top of the shared Debian base layer, for the recipes of
# packaged servers (postgresql, redis, nats). Sourced by those recipes; uses
# debian_base_layer and $CACHE from build-image.sh / lab/lib.sh.
#
# The packages to add are what apt would install on the base layer: apt
# simulates the install against the base layer's own dpkg status, so only
# what the base lacks is fetched (pinned top-level versions; dependencies at
# the versions the host's bookworm lists name). The .deb files are kept in
# $CACHE/debs, so a rebuild fetches nothing. Maintainer scripts are not run:
# the recipe adds its system user and directories itself.

# debs_into <root> <skip-regex> <package=version>...
#   unpacks the packages and their missing dependencies into <root>, except
#   packages whose name matches <skip-regex> (tools a container does not use:
#   the Debian cluster wrappers, perl, the LLVM JIT).
debs_into() {
  local root="$1" skip="$2" status list=() spec name ver file dir="$CACHE/debs"
  shift 2
  mkdir -p "$dir"
  status="$(mktemp)"
  tar -xOf "$(debian_base_layer)" ./var/lib/dpkg/status > "$status"
  # "Inst perl-base [old] (new Debian-Security:12/... [amd64])" -> perl-base=new
  mapfile -t list < <(apt-get -s -o Dir::State::status="$status" --no-install-recommends install "$@" |
    sed -nE 's/^Inst ([^ ]+) (\[[^]]*\] )?\(([^ ]+) .*/\1=\3/p' | grep -Ev "^($skip)=" || true)
  rm -f "$status"
  [ "${#list[@]}" -gt 0 ] || die "apt resolved nothing for $* (are the host's bookworm lists current? apt-get update)"
  echo "packages added to the base layer: ${list[*]}" >&2
  for spec in "${list[@]}"; do
    name="${spec%%=*}"; ver="${spec#*=}"
    file="$dir/${name}_${ver//:/%3a}_$(dpkg --print-architecture).deb"
    [ -f "$file" ] || file="$dir/${name}_${ver//:/%3a}_all.deb"
    if [ ! -f "$file" ]; then
      (cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$spec" >&2) || die "apt-get download $spec failed (apt-get update, then retry)"
      file="$(ls "$dir/${name}_${ver//:/%3a}_"*.deb)"
    fi
    dpkg -x "$file" "$root"
  done
  # The base is merged-/usr (/lib -> usr/lib): a real /lib in the top layer would hide the base's symlink.
  for d in bin sbin lib lib32 lib64 libx32; do
    if [ -d "$root/$d" ] && [ ! -L "$root/$d" ]; then
      mkdir -p "$root/usr/$d" && cp -a "$root/$d/." "$root/usr/$d/" && rm -rf "${root:?}/$d"
    fi
  done
  # documentation is not needed in an image
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/lintian"
}

# base_user <root> <name> <uid> <home> : /etc/passwd and /etc/group of the
# base layer with one more system user (the top layer's copies replace them).
base_user() {
  local root="$1" name="$2" uid="$3" home="$4" f
  mkdir -p "$root/etc"
  for f in passwd group; do
    [ -f "$root/etc/$f" ] || tar -xOf "$(debian_base_layer)" "./etc/$f" > "$root/etc/$f"
  done
  echo "$name:x:$uid:$uid:$name:$home:/usr/sbin/nologin" >> "$root/etc/passwd"
  echo "$name:x:$uid:" >> "$root/etc/group"
}

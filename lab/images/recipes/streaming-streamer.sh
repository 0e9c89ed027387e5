# The streaming prototype's streamer (generated media bytes, HTTP ranges): services/streaming-streamer
# (TypeScript run by Node 24's type stripping) on the Debian base with the
# Node.js binary the node recipe uses, like producer.sh. Production dependencies
# from the service's own lockfile (npm ci --omit=dev). lab/verify-platform.sh
# rebuilds it whenever the service's sources change.
SERVICE=streaming-streamer
REF="kubeproof.local/$SERVICE:dev"
BASE=debian
CONFIG='{"Cmd":["node","src/main.ts"],"WorkingDir":"/app","User":"1000:1000","ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() { node_service "$1" "$REPO_DIR/services/$SERVICE"; }

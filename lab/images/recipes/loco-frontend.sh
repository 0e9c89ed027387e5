# Lego Loco: the frontend (static page, /api proxy): services/loco-frontend, TypeScript run by
# Node 24's type stripping, on the Debian base with the node recipe's Node.js binary; production
# dependencies from the service's own lockfile (npm ci --omit=dev). Runs as uid 1000.
# lab/verify-platform.sh loco rebuilds it whenever the service's sources change.
SERVICE=loco-frontend
REF="kubeproof.local/$SERVICE:dev"
BASE=debian
CONFIG='{"Cmd":["node","src/main.ts"],"WorkingDir":"/app","User":"1000:1000","ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() { node_service "$1" "$REPO_DIR/services/$SERVICE"; }

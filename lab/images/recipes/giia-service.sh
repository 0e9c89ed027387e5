# GIIA: the one service image behind the six GIIA services (auth, catalog, ddmrp-engine, execution, analytics,
# ai-agent; SERVICE_NAME selects which): services/giia-service, TypeScript run by Node 24's type stripping, on the
# Debian base with the node recipe's Node.js binary; production dependencies (pg, ioredis, nats, prom-client) from
# the service's own lockfile (npm ci --omit=dev). Runs as uid 1000.
# lab/verify-platform.sh giia rebuilds it whenever the service's sources change.
SERVICE=giia-service
REF="kubeproof.local/$SERVICE:dev"
BASE=debian
CONFIG='{"Cmd":["node","src/main.ts"],"WorkingDir":"/app","User":"1000:1000","ExposedPorts":{"8081/tcp":{},"9091/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"]}'
populate() { node_service "$1" "$REPO_DIR/services/$SERVICE"; }

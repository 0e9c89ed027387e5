# The webhook sink (services/webhook-sink, TypeScript run by Node 24's type stripping): stores the
# Alertmanager webhook notifications it receives, serves them at GET /notifications. Platform-neutral:
# any platform deploys it as the receiver's URL (http://webhook-sink:8080/<receiver>). No dependencies;
# on the Debian base with the node recipe's Node.js binary. Runs as uid 1000.
SERVICE=webhook-sink
REF="kubeproof.local/$SERVICE:dev"
BASE=debian
CONFIG='{"Cmd":["node","src/main.ts"],"WorkingDir":"/app","User":"1000:1000","ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production","PORT=8080"]}'
populate() { node_service "$1" "$REPO_DIR/services/$SERVICE"; }

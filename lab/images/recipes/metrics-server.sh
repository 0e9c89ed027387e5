# metrics-server (serves metrics.k8s.io for kubectl top and the HPA), scratch.
REF="kubeproof.local/metrics-server:$METRICS_SERVER_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/metrics-server"],"User":"65534:65534"}'
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}sigs.k8s.io/metrics-server"
populate() { go_bin "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION" sigs.k8s.io/metrics-server/cmd/metrics-server "$1"; }

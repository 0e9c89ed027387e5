#!/usr/bin/env bash
# Give the Secret back to the lab overlay's material; InfluxDB restarts to load it.
set -euo pipefail
tls=manifests/overlays/lab/tls/influxdb
kubectl -n conveyor-pipeline create secret generic influxdb-tls --type=kubernetes.io/tls \
  --from-file=tls.crt="$tls/tls.crt" --from-file=tls.key="$tls/tls.key" --from-file=ca.crt="$tls/ca.crt" \
  --dry-run=client -o yaml | kubectl apply --server-side --force-conflicts --field-manager=kubeproof-conveyor -f -
# Wait for the old pod to go: until then it still counts as Ready for the rollout check that follows.
kubectl -n conveyor-pipeline delete pod -l app=influxdb --timeout=120s
# kubectl wait fails at once while the replacement does not exist yet.
for _ in $(seq 60); do [ -n "$(kubectl -n conveyor-pipeline get pod -l app=influxdb -o name)" ] && break; sleep 1; done
kubectl -n conveyor-pipeline wait pod -l app=influxdb --for=condition=Ready --timeout=180s
# The processor logged the failed handshakes: a new pod, so later runs judge fresh logs.
kubectl -n conveyor-pipeline rollout restart deployment/processor

#!/usr/bin/env bash
# Give the Secret back to the lab overlay's material; Kafka restarts to load it.
set -euo pipefail
tls=manifests/overlays/lab/tls/kafka
kubectl -n conveyor-pipeline create secret generic kafka-tls --from-file=keystore.pem="$tls/keystore.pem" \
  --from-file=ca.crt="$tls/ca.crt" --dry-run=client -o yaml |
  kubectl apply --server-side --force-conflicts --field-manager=kubeproof-conveyor -f -
# Wait for the old pod to go: until then it still counts as Ready for the rollout check that follows.
kubectl -n conveyor-pipeline delete pod -l app=kafka --timeout=120s
# kubectl wait fails at once while the replacement does not exist yet.
for _ in $(seq 60); do [ -n "$(kubectl -n conveyor-pipeline get pod -l app=kafka -o name)" ] && break; sleep 1; done
kubectl -n conveyor-pipeline wait pod -l app=kafka --for=condition=Ready --timeout=180s
# The clients logged the failed handshakes: new pods, so later runs judge fresh logs.
kubectl -n conveyor-pipeline rollout restart deployment/producer deployment/processor

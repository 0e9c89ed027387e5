#!/usr/bin/env bash
# Give the Secret back to the lab overlay's material; Kafka restarts to load it.
set -euo pipefail
tls=manifests/overlays/lab/tls/kafka
kubectl -n conveyor-pipeline create secret generic kafka-tls --from-file=keystore.pem="$tls/keystore.pem" \
  --from-file=ca.crt="$tls/ca.crt" --dry-run=client -o yaml |
  kubectl apply --server-side --force-conflicts --field-manager=kubeproof-conveyor -f -
kubectl -n conveyor-pipeline delete pod -l app=kafka --wait=false
# The clients logged the failed handshakes: new pods, so later runs judge fresh logs.
kubectl -n conveyor-pipeline rollout restart deployment/producer deployment/processor

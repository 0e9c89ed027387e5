#!/usr/bin/env bash
# The broker's keystore gets a certificate with the right names from a CA of
# its own, which no client trusts; Kafka restarts to serve it.
set -euo pipefail
# shellcheck source=/dev/null
source lab/lib.sh
# shellcheck source=/dev/null
source lab/pki.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ns=conveyor-pipeline
PKI_KEY=rsa PKI_DAYS=30 pki_ca "$work" ca "/O=drill/CN=an untrusted CA"
PKI_KEY=rsa PKI_DAYS=30 pki_cert "$work" tls ca "/O=drill/CN=kafka.$ns.svc" both \
  "DNS:kafka,DNS:kafka.$ns,DNS:kafka.$ns.svc,DNS:kafka.$ns.svc.cluster.local,DNS:kafka-0.kafka-headless.$ns.svc.cluster.local,DNS:localhost,IP:127.0.0.1"
cat "$work/tls.key" "$work/tls.crt" "$work/ca.crt" > "$work/keystore.pem"
# The broker trusts its new CA (its own listeners talk TLS to it); the clients' ConfigMap kafka-ca does not.
kubectl -n "$ns" create secret generic kafka-tls --from-file=keystore.pem="$work/keystore.pem" \
  --from-file=ca.crt="$work/ca.crt" --dry-run=client -o yaml |
  kubectl apply --server-side --force-conflicts --field-manager=kubeproof-drill -f -
# Wait for the old pod to go: until then it is the Ready one the wait below would see.
kubectl -n "$ns" delete pod -l app=kafka --timeout=120s
# kubectl wait fails at once while the replacement does not exist yet.
for _ in $(seq 60); do [ -n "$(kubectl -n "$ns" get pod -l app=kafka -o name)" ] && break; sleep 1; done
kubectl -n "$ns" wait pod -l app=kafka --for=condition=Ready --timeout=180s

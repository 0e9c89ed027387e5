#!/usr/bin/env bash
# InfluxDB's Secret gets a certificate from the platform's own CA, with the
# same names, that expired in 2020; InfluxDB restarts to serve it.
set -euo pipefail
tls=manifests/overlays/lab/tls/influxdb
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/tls.key" -out "$work/tls.csr" -subj "/CN=influxdb.conveyor-pipeline.svc" 2>/dev/null
mkdir -p "$work/db" && touch "$work/db/index.txt" && echo 01 > "$work/db/serial"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = drill
[drill]
database = $work/db/index.txt
serial = $work/db/serial
new_certs_dir = $work/db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = ext
[any]
commonName = supplied
[ext]
subjectAltName = DNS:influxdb,DNS:influxdb.conveyor-pipeline,DNS:influxdb.conveyor-pipeline.svc,DNS:influxdb.conveyor-pipeline.svc.cluster.local
extendedKeyUsage = serverAuth
CNF
openssl ca -batch -notext -config "$work/ca.cnf" -cert "$tls/ca.crt" -keyfile "$tls/ca.key" \
  -startdate 20200101000000Z -enddate 20200102000000Z -in "$work/tls.csr" -out "$work/tls.crt" 2>/dev/null
kubectl -n conveyor-pipeline create secret generic influxdb-tls --type=kubernetes.io/tls \
  --from-file=tls.crt="$work/tls.crt" --from-file=tls.key="$work/tls.key" --from-file=ca.crt="$tls/ca.crt" \
  --dry-run=client -o yaml | kubectl apply --server-side --force-conflicts --field-manager=kubeproof-drill -f -
# Wait for the old pod to go: until then it is the Ready one the wait below would see.
kubectl -n conveyor-pipeline delete pod -l app=influxdb --timeout=120s
# kubectl wait fails at once while the replacement does not exist yet.
for _ in $(seq 60); do [ -n "$(kubectl -n conveyor-pipeline get pod -l app=influxdb -o name)" ] && break; sleep 1; done
kubectl -n conveyor-pipeline wait pod -l app=influxdb --for=condition=Ready --timeout=120s

# shellcheck shell=bash
# PKI for the lab with openssl (ECDSA P-256, 10 years). Idempotent: existing
# files are kept, so kubeconfigs stay valid across lab:up runs. Sourced by up.sh.

PKI="$STATE/pki"

_ca() { # _ca <name> <cn>
  [ -f "$PKI/$1.crt" ] && return 0
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$1.key" 2>/dev/null
  openssl req -x509 -new -key "$PKI/$1.key" -subj "/CN=$2" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$PKI/$1.crt" 2>/dev/null
}

_cert() { # _cert <name> <ca> <subject> <client|server|both> [subjectAltName]
  local name="$1" ca="$2" subj="$3" kind="$4" san="${5:-}" eku ext
  [ -f "$PKI/$name.crt" ] && return 0
  case "$kind" in
    client) eku="clientAuth" ;;
    server) eku="serverAuth" ;;
    both)   eku="serverAuth,clientAuth" ;;
  esac
  ext="$(mktemp)"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } > "$ext"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$name.key" 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI/$name.csr"
}

_kubeconfig() { # _kubeconfig <file> <user> <cert-name>
  local f="$1" user="$2" cert="$3"
  [ -f "$f" ] && return 0
  local k="kubectl --kubeconfig=$f.tmp"
  $k config set-cluster kubeproof-lab --server="https://$NODE_IP:$APISERVER_PORT" \
    --certificate-authority="$PKI/ca.crt" --embed-certs=true >/dev/null
  $k config set-credentials "$user" --client-certificate="$PKI/$cert.crt" \
    --client-key="$PKI/$cert.key" --embed-certs=true >/dev/null
  $k config set-context kubeproof-lab --cluster=kubeproof-lab --user="$user" >/dev/null
  $k config use-context kubeproof-lab >/dev/null
  mv "$f.tmp" "$f"
}

pki_ensure() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  # Regenerate everything if the node address the certs were made for changed.
  if [ -f "$PKI/node-ip" ] && [ "$(cat "$PKI/node-ip")" != "$NODE_IP" ]; then
    log "node IP changed ($(cat "$PKI/node-ip") -> $NODE_IP): regenerating PKI"
    rm -rf "${PKI:?}"/* "$STATE"/kubeconfig "$STATE"/*.kubeconfig
  fi
  echo "$NODE_IP" > "$PKI/node-ip"
  _ca ca kubeproof-lab-ca
  _ca front-proxy-ca kubeproof-lab-front-proxy-ca
  _cert apiserver ca "/CN=kube-apiserver" server \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,DNS:$NODE_NAME,IP:127.0.0.1,IP:$KUBERNETES_SVC_IP,IP:$NODE_IP"
  _cert apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  _cert front-proxy-client front-proxy-ca "/CN=front-proxy-client" client
  _cert admin ca "/O=system:masters/CN=kubeproof-admin" client
  _cert controller-manager ca "/CN=system:kube-controller-manager" client
  _cert scheduler ca "/CN=system:kube-scheduler" client
  _cert kube-proxy ca "/CN=system:kube-proxy" client
  _cert kubelet ca "/O=system:nodes/CN=system:node:$NODE_NAME" client
  _cert kubelet-serving ca "/CN=$NODE_NAME" server "DNS:$NODE_NAME,DNS:localhost,IP:$NODE_IP,IP:127.0.0.1"
  if [ ! -f "$PKI/sa.key" ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key" 2>/dev/null
    openssl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  _kubeconfig "$KUBECONFIG_LAB" kubeproof-admin admin
  _kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  _kubeconfig "$STATE/scheduler.kubeconfig" system:kube-scheduler scheduler
  _kubeconfig "$STATE/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
  _kubeconfig "$STATE/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
  chmod 600 "$KUBECONFIG_LAB" "$STATE"/*.kubeconfig
}

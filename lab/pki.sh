# shellcheck shell=bash
# The PKI helper (openssl): CAs, server and client certificates. Idempotent:
# existing files are kept, so kubeconfigs and Secrets stay valid across runs.
# Key type and lifetime: PKI_KEY (ec = ECDSA P-256, rsa = RSA 2048) and
# PKI_DAYS; the lab's own PKI uses the defaults. Sourced after lib.sh.

PKI="$STATE/pki"

pki_key() { # pki_key <file>: a new private key, readable by the owner only
  case "${PKI_KEY:-ec}" in
    ec)  (umask 077; openssl ecparam -name prime256v1 -genkey -noout -out "$1") ;;
    rsa) (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1") ;;
  esac 2>/dev/null
}

pki_ca() { # pki_ca <dir> <name> <subject>: <dir>/<name>.{key,crt}
  local d="$1" name="$2"
  [ -f "$d/$name.crt" ] && return 0
  pki_key "$d/$name.key"
  openssl req -x509 -new -key "$d/$name.key" -subj "$3" -days "${PKI_DAYS:-3650}" -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$d/$name.crt" 2>/dev/null
}

# pki_cert <dir> <name> <ca-name> <subject> <client|server|both> [subjectAltName]
# <dir>/<name>.{key,crt}, signed by <dir>/<ca-name>.{key,crt}
pki_cert() {
  local d="$1" name="$2" ca="$3" subj="$4" kind="$5" san="${6:-}" eku ext
  [ -f "$d/$name.crt" ] && return 0
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
    [ -z "$san" ] || echo "subjectAltName=$san"
  } > "$ext"
  pki_key "$d/$name.key"
  openssl req -new -key "$d/$name.key" -subj "$subj" -out "$d/$name.csr" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.crt" -CAkey "$d/$ca.key" -CAcreateserial \
    -days "${PKI_DAYS:-3650}" -sha256 -extfile "$ext" -out "$d/$name.crt" 2>/dev/null
  rm -f "$ext" "$d/$name.csr"
}

# pki_valid <cert> <days>: the certificate exists and is valid for <days> more days
pki_valid() { [ -s "$1" ] && openssl x509 -checkend $(( $2 * 86400 )) -noout -in "$1" >/dev/null 2>&1; }

_kubeconfig() { # _kubeconfig <file> <user> <cert-name>
  local f="$1" user="$2" cert="$3"
  [ -f "$f" ] && return 0
  local k=(kubectl --kubeconfig="$f.tmp")
  "${k[@]}" config set-cluster kubeproof-lab --server="https://$NODE_IP:$APISERVER_PORT" \
    --certificate-authority="$PKI/ca.crt" --embed-certs=true >/dev/null
  "${k[@]}" config set-credentials "$user" --client-certificate="$PKI/$cert.crt" \
    --client-key="$PKI/$cert.key" --embed-certs=true >/dev/null
  "${k[@]}" config set-context kubeproof-lab --cluster=kubeproof-lab --user="$user" >/dev/null
  "${k[@]}" config use-context kubeproof-lab >/dev/null
  mv "$f.tmp" "$f"
}

# pki_ensure: the lab's PKI (CA, front-proxy CA, SA key, component certs, kubeconfigs)
pki_ensure() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  # Regenerate everything if the node address the certs were made for changed.
  if [ -f "$PKI/node-ip" ] && [ "$(cat "$PKI/node-ip")" != "$NODE_IP" ]; then
    log "node IP changed ($(cat "$PKI/node-ip") -> $NODE_IP): regenerating PKI"
    rm -rf "${PKI:?}"/* "$STATE"/kubeconfig "$STATE"/*.kubeconfig
  fi
  echo "$NODE_IP" > "$PKI/node-ip"
  pki_ca "$PKI" ca /CN=kubeproof-lab-ca
  pki_ca "$PKI" front-proxy-ca /CN=kubeproof-lab-front-proxy-ca
  pki_cert "$PKI" apiserver ca "/CN=kube-apiserver" server \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,DNS:$NODE_NAME,IP:127.0.0.1,IP:$KUBERNETES_SVC_IP,IP:$NODE_IP"
  pki_cert "$PKI" apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  pki_cert "$PKI" front-proxy-client front-proxy-ca "/CN=front-proxy-client" client
  pki_cert "$PKI" admin ca "/O=system:masters/CN=kubeproof-admin" client
  pki_cert "$PKI" controller-manager ca "/CN=system:kube-controller-manager" client
  pki_cert "$PKI" scheduler ca "/CN=system:kube-scheduler" client
  pki_cert "$PKI" kube-proxy ca "/CN=system:kube-proxy" client
  pki_cert "$PKI" kubelet ca "/O=system:nodes/CN=system:node:$NODE_NAME" client
  pki_cert "$PKI" kubelet-serving ca "/CN=$NODE_NAME" server "DNS:$NODE_NAME,DNS:localhost,IP:$NODE_IP,IP:127.0.0.1"
  if [ ! -f "$PKI/sa.key" ]; then
    pki_key "$PKI/sa.key"
    openssl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  _kubeconfig "$KUBECONFIG_LAB" kubeproof-admin admin
  _kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  _kubeconfig "$STATE/scheduler.kubeconfig" system:kube-scheduler scheduler
  _kubeconfig "$STATE/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
  _kubeconfig "$STATE/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
  chmod 600 "$KUBECONFIG_LAB" "$STATE"/*.kubeconfig
}

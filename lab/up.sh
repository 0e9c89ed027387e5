#!/usr/bin/env bash
# lab:up — start the single-node lab Kubernetes from the cache built by
# lab/build.sh. Idempotent: running components are left alone, so a second
# run only fills in what is missing. Everything it starts is recorded by pid
# under $RUN/pids; `lab/down.sh` undoes it (also after a half-failed up).
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=pki.sh
source "$LAB_DIR/pki.sh"

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

CLUSTER_CIDR="10.244.0.0/16"
PAUSE_IMAGE="$(image_ref pause)"
COREDNS_IMAGE="$(image_ref coredns)"
METRICS_SERVER_IMAGE="$(image_ref metrics-server)"
KNP_IMAGE="$(image_ref kube-network-policies)"
KUBE_ROUTER_IMAGE="$(image_ref kube-router)"
LOCAL_PATH_IMAGE="$(image_ref local-path-provisioner)"
PROBE_IMAGE="$(image_ref probe)"
export STATE RUN CONTAINERD_SOCK CNI_BIN_DIR LAB_BRIDGE POD_CIDR NODE_IP DNS_SVC_IP CLUSTER_DOMAIN \
  NODE_NAME CLUSTER_CIDR PAUSE_IMAGE COREDNS_IMAGE METRICS_SERVER_IMAGE KNP_IMAGE KUBE_ROUTER_IMAGE LOCAL_PATH_IMAGE PROBE_IMAGE

# ------------------------------------------------------------- preflight
preflight() {
  local problems=() c
  [ "$(id -u)" -eq 0 ] || problems+=("not root: the lab runs containerd, kubelet and edits netfilter. Run: sudo npm run lab:up")
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    [ -x "$K8S_BIN/$c" ] || { problems+=("missing $K8S_BIN/$c: run npm run lab:build first"); break; }
  done
  for c in containerd ctr runc etcd nft iptables ipset conntrack kubectl openssl perl ss dig jq curl; do
    command -v "$c" >/dev/null 2>&1 || problems+=("missing command '$c': run npm run lab:build (it installs the Debian packages: $DEB_PACKAGES)")
  done
  [ -x "$CNI_BIN_DIR/bridge" ] && [ -x "$CNI_BIN_DIR/host-local" ] && [ -x "$CNI_BIN_DIR/loopback" ] ||
    problems+=("CNI plugins missing in $CNI_BIN_DIR: apt-get install containernetworking-plugins")
  for c in "${NODE_IMAGES[@]}"; do
    ls "$IMAGES/$c-"*.tar >/dev/null 2>&1 || problems+=("image tarball for $c missing in $IMAGES: run npm run lab:build")
  done
  # cgroups: v1 controllers the kubelet needs (or a unified v2 hierarchy)
  if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    for c in cpu cpuacct cpuset memory pids devices freezer; do
      grep -qw "$c" /proc/self/cgroup 2>/dev/null && [ -d "/sys/fs/cgroup/$c" ] ||
        problems+=("cgroup v1 controller '$c' is not mounted at /sys/fs/cgroup/$c: mount it (mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c) or boot with cgroup v2")
    done
  fi
  grep -qw overlay /proc/filesystems || problems+=("kernel has no overlay filesystem (containerd's overlayfs snapshotter needs it): modprobe overlay")
  [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || problems+=("br_netfilter is not loaded (Service traffic between pods on the bridge needs it): modprobe br_netfilter")
  [ -e /proc/net/netfilter/nfnetlink_queue ] || nft list tables >/dev/null 2>&1 || problems+=("nftables is not usable (kube-proxy nftables mode and NetworkPolicy enforcement need it)")
  # ports: only a problem when the lab's own component is not the owner
  local name port holder
  for pair in etcd:$ETCD_CLIENT_PORT etcd:$ETCD_PEER_PORT kube-apiserver:$APISERVER_PORT kubelet:10250 \
    kube-proxy:10256 kube-controller-manager:10257 kube-scheduler:10259; do
    name="${pair%%:*}"; port="${pair##*:}"
    holder="$(port_holder "$port")"
    if ! is_running "$name" && [ -n "$holder" ]; then
      problems+=("port $port (for $name) is already in use by: $holder. Stop it, or if it is a previous lab: npm run lab:down")
    fi
  done
  if [ -e "/sys/class/net/$LAB_BRIDGE" ] && ! ip -4 addr show "$LAB_BRIDGE" | grep -q "inet $NODE_IP/"; then
    problems+=("interface $LAB_BRIDGE exists without $NODE_IP: remove it (ip link del $LAB_BRIDGE) or set LAB_BRIDGE")
  fi
  if ip -4 route show | grep -v "dev $LAB_BRIDGE" | grep -q "^${POD_CIDR%/*}"; then
    problems+=("the pod network $POD_CIDR is already routed on this machine: set LAB_POD_CIDR/LAB_NODE_IP")
  fi
  if [ ${#problems[@]} -gt 0 ]; then
    printf '[lab] cannot start — prerequisites missing:\n' >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 2
  fi
}

# ------------------------------------------------------------- host setup
SYSCTLS="net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes"
host_setup() {
  mkdir -p "$STATE"/{etcd,containerd,kubelet,cni/net.d,cni/ipam,local-path,logs} "$RUN"/{pids,containerd} "$PIDS"
  # Remember sysctls once (first up after a down), restored by lab:down.
  if [ ! -f "$RUN/sysctl.orig" ]; then
    local k
    for k in $SYSCTLS; do
      [ -e "/proc/sys/${k//.//}" ] && echo "$k=$(cat "/proc/sys/${k//.//}")"
    done > "$RUN/sysctl.orig"
  fi
  [ -f "$RUN/nft-tables.before" ] || nft list tables 2>/dev/null | awk '{print $2, $3}' > "$RUN/nft-tables.before"
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
  if [ ! -e "/sys/class/net/$LAB_BRIDGE" ]; then
    ip link add "$LAB_BRIDGE" type bridge
    touch "$RUN/bridge.created"
  fi
  ip -4 addr show "$LAB_BRIDGE" | grep -q "inet $NODE_IP/" || ip addr add "$NODE_IP/${POD_CIDR#*/}" dev "$LAB_BRIDGE"
  ip link set "$LAB_BRIDGE" up
  # Keep lab traffic on the machine: nothing from the pod bridge is forwarded
  # to any other interface (no masquerade either), whatever the host routes.
  nft -f - <<NFT
table inet kubeproof-lab
delete table inet kubeproof-lab
table inet kubeproof-lab {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "$LAB_BRIDGE*" oifname != "$LAB_BRIDGE*" counter drop comment "lab pods (all nodes' bridges) do not leave the machine"
  }
}
NFT
  # can this root lower an oom_score_adj (CAP_SYS_RESOURCE)? if not, containerd must clamp
  if (echo -1 > /proc/self/oom_score_adj) 2>/dev/null; then RESTRICT_OOM_SCORE_ADJ=false; else RESTRICT_OOM_SCORE_ADJ=true; fi
  export RESTRICT_OOM_SCORE_ADJ
  printf '# kubeproof lab: no upstream resolver; cluster names are answered by CoreDNS\nnameserver %s\n' "$DNS_SVC_IP" > "$STATE/resolv.conf"
  render "$LAB_DIR/config/containerd.toml" "$STATE/containerd/config.toml"
  render "$LAB_DIR/config/cni.conflist" "$STATE/cni/net.d/10-kubeproof-lab.conflist"
  render "$LAB_DIR/config/kubelet.yaml" "$STATE/kubelet-config.yaml"
  render "$LAB_DIR/config/kube-proxy.yaml" "$STATE/kube-proxy-config.yaml"
}

# ------------------------------------------------------------- components
https_ok() { curl -sf --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$1"; }

start_etcd() {
  start_daemon etcd etcd --name "$NODE_NAME" --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "$NODE_NAME=http://127.0.0.1:$ETCD_PEER_PORT" \
    --listen-metrics-urls "" --quota-backend-bytes 2147483648 --snapshot-count 10000 \
    --auto-compaction-retention 1 --log-level warn --logger zap
}

start_containerd() {
  start_daemon containerd containerd --config "$STATE/containerd/config.toml" --log-level warn
}

# import_images [core|rest|all]: imports image tarballs from the cache whose
# content changed since the last import. "core" = NODE_IMAGES (before the
# kubelet starts); "rest" = everything else in the cache, in the background.
import_images() {
  local which="${1:-all}" tar name have ref base
  have="$(lab_ctr -n k8s.io images ls -q 2>/dev/null || true)"
  for tar in "$IMAGES"/*.tar; do
    [ -e "$tar" ] || continue
    name="$(basename "$tar" .tar)"
    ref="$(tar --occurrence=1 -xOf "$tar" index.json | jq -r '.manifests[0].annotations["io.containerd.image.name"]')"
    base="${ref#*/}"; base="${base%%:*}"
    case " ${NODE_IMAGES[*]} " in
      *" $base "*) [ "$which" = rest ] && continue ;;
      *) [ "$which" = core ] && continue ;;
    esac
    # re-import when the tarball changed since the last import
    if grep -qxF "$ref" <<<"$have" && [ -f "$STATE/containerd/imported/$name" ] &&
       [ "$(cat "$STATE/containerd/imported/$name")" = "$(stat -c %s-%Y "$tar")" ]; then
      continue
    fi
    log "importing image $ref"
    lab_ctr -n k8s.io images import "$tar" >/dev/null || { warn "ctr images import $tar failed"; return 1; }
    mkdir -p "$STATE/containerd/imported"
    stat -c %s-%Y "$tar" > "$STATE/containerd/imported/$name"
  done
}

start_apiserver() {
  start_daemon kube-apiserver "$K8S_BIN/kube-apiserver" \
    --advertise-address="$NODE_IP" --bind-address="$NODE_IP" --secure-port="$APISERVER_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
    --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-extra-headers-prefix=X-Remote-Extra- --requestheader-group-headers=X-Remote-Group \
    --requestheader-username-headers=X-Remote-User \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true --profiling=false --event-ttl=2h --v=1
}

start_controller_manager() {
  start_daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false \
    --client-ca-file="$PKI/ca.crt" --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
    --use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR" \
    --cluster-cidr="$CLUSTER_CIDR" --allocate-node-cidrs=true --node-cidr-mask-size=24 \
    --horizontal-pod-autoscaler-sync-period=10s --profiling=false --v=1
}

start_scheduler() {
  start_daemon kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig="$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false --v=1
}

start_kubelet() {
  start_daemon kubelet "$K8S_BIN/kubelet" \
    --config="$STATE/kubelet-config.yaml" --kubeconfig="$STATE/kubelet.kubeconfig" \
    --root-dir="$STATE/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
    --pod-infra-container-image="$PAUSE_IMAGE" --v=1
}

start_kube_proxy() {
  start_daemon kube-proxy "$K8S_BIN/kube-proxy" --config="$STATE/kube-proxy-config.yaml" --v=1
}

apply_addons() {
  local f out
  mkdir -p "$STATE/manifests"
  for f in "$LAB_DIR"/manifests/*.yaml; do
    out="$STATE/manifests/$(basename "$f")"
    render "$f" "$out"
  done
  kc apply --server-side --force-conflicts --field-manager=kubeproof-lab -f "$STATE/manifests/" >> "$LOGS/addons.log" 2>&1 ||
    { tail -n 20 "$LOGS/addons.log" >&2; die "applying lab add-ons failed (log: $LOGS/addons.log)"; }
}

# ------------------------------------------------------------- waits
node_ready() { [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }
dns_ok() {
  local ans
  ans="$(dig +short +time=1 +tries=1 @"$DNS_SVC_IP" "kubernetes.default.svc.$CLUSTER_DOMAIN" 2>/dev/null)"
  [ "$ans" = "$KUBERNETES_SVC_IP" ]
}
metrics_ok() { kc get --raw "/apis/metrics.k8s.io/v1beta1/nodes/$NODE_NAME" 2>/dev/null | grep -q '"usage"'; }

# wait_cluster <what> <seconds> <check> : on timeout print diagnostics
wait_cluster() {
  local what="$1" secs="$2"; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$end" ]; then
      echo "----- $what not ready after ${secs}s; cluster state -----" >&2
      kc get nodes -o wide >&2 || true
      kc get pods -A -o wide >&2 || true
      kc get events -A --sort-by=.lastTimestamp 2>/dev/null | tail -n 15 >&2 || true
      for c in kubelet kube-proxy; do echo "--- tail $LOGS/$c.log" >&2; tail -n 15 "$LOGS/$c.log" >&2; done
      die "$what not ready after ${secs}s (logs in $LOGS; clean up with npm run lab:down)"
    fi
    check_started_alive
    sleep 0.5
  done
}

# ------------------------------------------------------------- main
main() {
  forget_stale_pids
  preflight
  host_setup
  pki_ensure
  mkdir -p "$LOGS"

  start_etcd
  wait_for etcd 30 curl -sf --max-time 1 "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
  start_containerd
  wait_for containerd 30 lab_ctr version
  start_apiserver
  import_images core &
  IMPORT_PID=$!
  wait_for kube-apiserver 90 https_ok "https://$NODE_IP:$APISERVER_PORT/readyz"
  log "apiserver ready ($(elapsed)s)"
  start_controller_manager
  start_scheduler
  wait "$IMPORT_PID" || die "image import failed"
  start_kubelet
  start_kube_proxy
  import_images rest > "$LOGS/import-rest.log" 2>&1 &
  REST_PID=$!
  wait_for kube-controller-manager 60 curl -skf --max-time 1 https://127.0.0.1:10257/healthz
  wait_for kube-scheduler 60 curl -skf --max-time 1 https://127.0.0.1:10259/healthz
  wait_for kube-proxy 60 curl -sf --max-time 1 http://127.0.0.1:10256/healthz
  apply_addons
  wait_cluster "node $NODE_NAME Ready" 120 node_ready
  log "node Ready ($(elapsed)s)"
  wait_cluster "cluster DNS (kubernetes.default via $DNS_SVC_IP)" 120 dns_ok
  log "DNS answers ($(elapsed)s)"
  wait_cluster "metrics.k8s.io (metrics-server)" 120 metrics_ok
  log "metrics available ($(elapsed)s)"
  kc rollout status -n kube-system daemonset/kube-router --timeout=60s >/dev/null ||
    die "kube-router (NetworkPolicy enforcement) not ready"
  kc rollout status -n local-path-storage deployment/local-path-provisioner --timeout=60s >/dev/null ||
    die "local-path-provisioner (default StorageClass) not ready"
  # Extra nodes (lab/nodes.sh): LAB_EXTRA_NODES of them; Node objects of extra nodes that no longer run are removed.
  if [ "${LAB_EXTRA_NODES:-0}" -gt 0 ]; then bash "$LAB_DIR/nodes.sh" up "$LAB_EXTRA_NODES" || die "starting $LAB_EXTRA_NODES extra node(s) failed"
  else bash "$LAB_DIR/nodes.sh" prune || die "removing the Node objects of stopped extra nodes failed"; fi
  if ! wait "$REST_PID"; then tail -n 5 "$LOGS/import-rest.log" >&2; die "importing the other cached images failed (log: $LOGS/import-rest.log)"; fi
  [ -s "$LOGS/import-rest.log" ] && log "other cached images imported ($(grep -c importing "$LOGS/import-rest.log"); $(elapsed)s)"
  printf '%s\n' "$(elapsed)" > "$RUN/up-seconds"
  log "lab is up in $(elapsed)s: Kubernetes $K8S_VERSION, node $NODE_NAME ($NODE_IP)"
  printf '\n  export KUBECONFIG=%s\n  kubectl get nodes\n\n  logs: %s    status: npm run lab:status    stop: npm run lab:down\n' "$KUBECONFIG_LAB" "$LOGS"
}

# Sourcing up.sh (tests, bench) only defines the functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi

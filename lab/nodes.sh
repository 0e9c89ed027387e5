#!/usr/bin/env bash
# shellcheck disable=SC2031  # node_up renders in a subshell with the node's STATE; the script's STATE stays the lab's
# lab/nodes.sh — the lab's extra nodes: a second and third kubelet, each with
# its own containerd, bridge, pod range, cgroup root and pod-log directory,
# beside the first node on the same machine (same Kubernetes build).
#
#   bash lab/nodes.sh up [COUNT]   nodes kubeproof-lab-2 … (default COUNT 2); idempotent
#   bash lab/nodes.sh down         stop them and delete their Node objects (lab:down calls it)
#   bash lab/nodes.sh status       one line per extra node
#   bash lab/nodes.sh prune        delete Node objects of extra nodes that do not run (lab:up calls it)
#   bash lab/nodes.sh stop NODE    the node fails: kubelet, containers and containerd stop (Node object stays)
#   bash lab/nodes.sh start NODE   … and comes back
#   LAB_EXTRA_NODES=2 npm run lab:up   starts them with the lab
#
# Node i (2, 3, …): bridge kplab0n<i-1> at 10.244.<i-1>.1 (its InternalIP), pods
# 10.244.<i-1>.0/24; labels topology.kubernetes.io/zone=lab-<i> and
# kubeproof.dev/extra-node=true (the first node: zone lab-1). The extra nodes carry the
# taint kubeproof.dev/extra-node=true:NoSchedule, so only workloads that tolerate it
# run there (placement, spreading, drain and node-failure scenarios) and everything
# else keeps the first node to itself. They share the machine's network namespace:
# kube-proxy (one per machine) serves their pods, and NetworkPolicies are enforced
# for pods on the first node only (kube-router's rules live in the one netfilter).
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=pki.sh
source "$LAB_DIR/pki.sh"

EXTRA_TAINT="kubeproof.dev/extra-node=true:NoSchedule"
PAUSE_IMAGE="$(image_ref pause)"
# As lab:up decides for the first node (containerd must clamp when root cannot lower a score).
if (echo -1 > /proc/self/oom_score_adj) 2>/dev/null; then RESTRICT_OOM_SCORE_ADJ=false; else RESTRICT_OOM_SCORE_ADJ=true; fi
export PAUSE_IMAGE RESTRICT_OOM_SCORE_ADJ CNI_BIN_DIR
# The images a scenario on an extra node runs (each node has its own containerd and store).
# LAB_EXTRA_NODE_IMAGES adds more (a platform's DaemonSet images, e.g. "promtail").
read -r -a EXTRA_NODE_IMAGES <<< "pause node probe ${LAB_EXTRA_NODE_IMAGES:-}"

node_name() { echo "kubeproof-lab-$1"; }
node_dir() { echo "$STATE/nodes/$(node_name "$1")"; }
node_run() { echo "$RUN/nodes/$(node_name "$1")"; }
node_bridge() { echo "${LAB_BRIDGE}n$(($1 - 1))"; }
node_ip() { echo "10.244.$(($1 - 1)).1"; }
node_cidr() { echo "10.244.$(($1 - 1)).0/24"; }
node_sock() { echo "$(node_run "$1")/containerd.sock"; }
node_ctr() { local i="$1"; shift; ctr --address "$(node_sock "$i")" "$@"; }
# The cgroup v1 hierarchies (or the unified one) the node's pods live under.
cgroup_dirs() {
  local i="$1" c
  for c in /sys/fs/cgroup/*/; do
    [ -e "${c}cgroup.procs" ] || continue
    echo "${c}kplab-$(node_name "$i")"
  done
}
existing_nodes() { # indexes of the extra nodes with state on this machine
  local d
  for d in "$STATE"/nodes/kubeproof-lab-*; do [ -d "$d" ] && echo "${d##*-}"; done | sort -n
}

# ------------------------------------------------------------- up
node_up() {
  local i="$1" name d r br ip cidr
  name="$(node_name "$i")" d="$(node_dir "$i")" r="$(node_run "$i")" br="$(node_bridge "$i")" ip="$(node_ip "$i")" cidr="$(node_cidr "$i")"
  mkdir -p "$d"/{cni/net.d,cni/ipam,kubelet,pod-logs} "$r"
  # Bridge and address: the node's InternalIP, before its kubelet binds to it.
  if [ ! -e "/sys/class/net/$br" ]; then ip link add "$br" type bridge; fi
  ip -4 addr show "$br" | grep -q "inet $ip/" || ip addr add "$ip/24" dev "$br"
  ip link set "$br" up
  # A cgroup root of its own in every hierarchy: the kubelet creates <root>/kubepods under it.
  local cg
  for cg in $(cgroup_dirs "$i"); do
    mkdir -p "$cg"
    if [ -e "$cg/cpuset.cpus" ] && [ -z "$(cat "$cg/cpuset.cpus")" ]; then
      cat "$(dirname "$cg")/cpuset.cpus" > "$cg/cpuset.cpus"
      cat "$(dirname "$cg")/cpuset.mems" > "$cg/cpuset.mems"
    fi
  done
  # PKI: the node's client identity (NodeRestriction) and its serving certificate.
  pki_cert "$PKI" "kubelet-$name" ca "/O=system:nodes/CN=system:node:$name" client
  pki_cert "$PKI" "kubelet-serving-$name" ca "/CN=$name" server "DNS:$name,IP:$ip"
  _kubeconfig "$d/kubelet.kubeconfig" "system:node:$name" "kubelet-$name"
  chmod 600 "$d/kubelet.kubeconfig"
  # Configuration: the first node's templates with this node's paths and addresses.
  local sock
  sock="$(node_sock "$i")"
  # shellcheck disable=SC2030,SC2031  # the subshell renders with this node's values, the script keeps the lab's
  (
    export STATE="$d" RUN="$r" CONTAINERD_SOCK="$sock" LAB_BRIDGE="$br" POD_CIDR="$cidr" NODE_IP="$ip"
    render "$LAB_DIR/config/containerd.toml" "$d/containerd-$name.toml"
    render "$LAB_DIR/config/cni.conflist" "$d/cni/net.d/10-kubeproof-lab.conflist"
  ) || die "rendering the configuration of $name failed"
  sed -e "s|^address: .*|address: \"$ip\"|" \
    -e "s|^healthzBindAddress: .*|healthzBindAddress: \"$ip\"|" \
    -e "s|/pki/kubelet-serving\\.|/pki/kubelet-serving-$name.|" \
    -e "s|^containerRuntimeEndpoint: .*|containerRuntimeEndpoint: \"unix://$(node_sock "$i")\"|" \
    "$STATE/kubelet-config.yaml" > "$d/kubelet-$name.yaml.tmp"
  grep -q "kubelet-serving-$name" "$d/kubelet-$name.yaml.tmp" || die "the first node's kubelet configuration ($STATE/kubelet-config.yaml) has no serving certificate to replace"
  printf 'cgroupRoot: /kplab-%s\npodLogsDir: %s\n' "$name" "$d/pod-logs" >> "$d/kubelet-$name.yaml.tmp"
  mv "$d/kubelet-$name.yaml.tmp" "$d/kubelet-$name.yaml"
  # The Node object before its kubelet: its pod range (what its CNI hands out), labels and taint.
  kc apply --server-side --force-conflicts --field-manager=kubeproof-lab -f - >/dev/null <<YAML || die "creating the Node object $name failed"
apiVersion: v1
kind: Node
metadata:
  name: $name
  labels:
    kubernetes.io/hostname: $name
    topology.kubernetes.io/zone: lab-$i
    kubeproof.dev/extra-node: "true"
spec:
  podCIDR: $cidr
  podCIDRs: [$cidr]
  taints:
    - { key: kubeproof.dev/extra-node, value: "true", effect: NoSchedule }
YAML
  # containerd in a mount namespace of its own (a slave of the machine's, so the kubelet's volume mounts
  # reach it) where /var/log/pods is this node's pod-log directory: a hostPath /var/log/pods (a log
  # collector's DaemonSet) reads this node's logs, as on a machine of its own.
  mkdir -p /var/log/pods
  # The kubelet mounts volumes (Secrets, service account tokens: tmpfs) under its root after containerd
  # started: a shared mount there propagates them into containerd's namespace (the machine's / is private).
  mountpoint -q "$d/kubelet" || mount --bind "$d/kubelet" "$d/kubelet"
  mount --make-rshared "$d/kubelet"
  # shellcheck disable=SC2016  # $1 and $@ are the inner shell's
  DAEMON_BIN=containerd start_daemon "containerd-$name" unshare --mount --propagation slave \
    sh -c 'mount --bind "$1" /var/log/pods && shift && exec "$@"' sh "$d/pod-logs" containerd --config "$d/containerd-$name.toml" --log-level warn
  wait_for "containerd-$name" 30 node_ctr "$i" version
  import_node_images "$i"
  start_daemon "kubelet-$name" "$K8S_BIN/kubelet" \
    --config="$d/kubelet-$name.yaml" --kubeconfig="$d/kubelet.kubeconfig" \
    --root-dir="$d/kubelet" --hostname-override="$name" --node-ip="$ip" \
    --pod-infra-container-image="$PAUSE_IMAGE" --v=1
}

# import_node_images <i>: EXTRA_NODE_IMAGES into the node's containerd, when changed since the last import.
import_node_images() {
  local i="$1" d img ref tar stamp
  d="$(node_dir "$i")"
  mkdir -p "$d/imported"
  for img in "${EXTRA_NODE_IMAGES[@]}"; do
    ref="$(image_ref "$img")" && tar="$IMAGES/$img-${ref##*:}.tar"
    [ -f "$tar" ] || die "no cached image $img for $(node_name "$i")" "run: npm run lab:build"
    stamp="$(stat -c %s-%Y "$tar")"
    [ "$(cat "$d/imported/$img" 2>/dev/null)" = "$stamp" ] && continue
    log "$(node_name "$i"): importing $(basename "$tar")"
    node_ctr "$i" -n k8s.io images import "$tar" >/dev/null || die "importing $tar into $(node_name "$i") failed"
    echo "$stamp" > "$d/imported/$img"
  done
}

node_ready() { [ "$(kc get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }

nodes_up() {
  local count="${1:-2}" i names=()
  [[ "$count" =~ ^[1-9]$ ]] || die "nodes.sh up COUNT: 1 to 9 extra nodes, not '$count'"
  kc get --raw /readyz >/dev/null 2>&1 || die "the lab's API server does not answer" "start the lab first: npm run lab:up"
  [ -f "$STATE/kubelet-config.yaml" ] || die "no $STATE/kubelet-config.yaml: the first node was never started" "npm run lab:up"
  # The first node's zone, so placement can be stated over all three.
  kc label node "$NODE_NAME" topology.kubernetes.io/zone=lab-1 --overwrite >/dev/null
  for ((i = 2; i <= count + 1; i++)); do
    node_up "$i"
    names+=("$(node_name "$i")")
  done
  for name in "${names[@]}"; do
    LAST=""
    wait_for "kubelet-$name" 120 node_ready "$name"
    log "node $name Ready ($(kc get node "$name" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}'), taint $EXTRA_TAINT)"
  done
  # Nodes beyond COUNT from an earlier run stop.
  for i in $(existing_nodes); do [ "$i" -gt $((count + 1)) ] && node_down "$i"; done
  return 0
}

# ------------------------------------------------------------- down
# node_stop <i>: the node fails as a machine would: its kubelet, containers and containerd stop
# (its Node object, bridge and state stay; `start` brings it back).
node_stop() {
  local i="$1" name r sock t ids p
  name="$(node_name "$i")" r="$(node_run "$i")" sock="$(node_sock "$i")"
  mkdir -p "$r"
  stop_daemon "kubelet-$name" 15
  if is_running "containerd-$name" && [ -S "$sock" ]; then
    for t in $(node_ctr "$i" -n k8s.io containers ls -q 2>/dev/null); do
      node_ctr "$i" -n k8s.io containers info "$t" 2>/dev/null |
        jq -r '.Spec.linux.namespaces[]? | select(.type=="network") | .path // empty' >> "$r/netns.list" 2>/dev/null || true
    done
    ids="$(node_ctr "$i" -n k8s.io tasks ls -q 2>/dev/null)"
    if [ -n "$ids" ]; then
      log "$name: killing $(wc -w <<<"$ids") containers"
      for t in $ids; do node_ctr "$i" -n k8s.io tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
      sleep 1
      for t in $ids; do node_ctr "$i" -n k8s.io tasks delete -f "$t" >/dev/null 2>&1 || true; done
    fi
    for t in $(node_ctr "$i" -n k8s.io containers ls -q 2>/dev/null); do node_ctr "$i" -n k8s.io containers delete "$t" >/dev/null 2>&1 || true; done
  fi
  stop_daemon "containerd-$name" 15
  for p in /proc/[0-9]*; do
    case "$(tr '\0' ' ' 2>/dev/null < "$p/cmdline")" in *containerd-shim*"$sock"*) kill -KILL "${p#/proc/}" 2>/dev/null || true ;; esac
  done
}

node_down() {
  local i="$1" name d r br p cg
  name="$(node_name "$i")" d="$(node_dir "$i")" r="$(node_run "$i")" br="$(node_bridge "$i")"
  node_stop "$i"
  for cg in $(cgroup_dirs "$i"); do
    [ -d "$cg" ] || continue
    p="$(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | tr '\n' ' ')"
    # shellcheck disable=SC2086  # one pid per word
    [ -z "${p// /}" ] || { log "$name: killing leftover process(es) $p"; kill -KILL $p 2>/dev/null || true; sleep 0.5; }
    find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
    [ ! -d "$cg" ] || warn "could not remove $cg (processes still inside?)"
  done
  local m
  awk '{print $2}' /proc/self/mounts | grep -E "^($d|$r)(/|$)" | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  if [ -f "$r/netns.list" ]; then
    sort -u "$r/netns.list" | while read -r m; do [ -n "$m" ] && { umount "$m" 2>/dev/null; rm -f "$m"; }; done
  fi
  if [ -e "/sys/class/net/$br" ]; then
    for p in /sys/class/net/"$br"/brif/*; do [ -e "$p" ] && ip link del "$(basename "$p")" 2>/dev/null; done
    ip link del "$br" && log "removed bridge $br"
  fi
  rm -rf "$d/cni/ipam" "$r"
  # The Node object goes with the node (a NotReady node left behind would count in every scenario).
  if kc get --raw /readyz >/dev/null 2>&1; then kc delete node "$name" --ignore-not-found --wait=false >/dev/null && log "deleted Node $name"; fi
}

nodes_down() {
  local i
  for i in $(existing_nodes); do node_down "$i"; done
  # Node objects without state here (a purged state, another machine's run).
  if kc get --raw /readyz >/dev/null 2>&1; then
    kc delete node -l kubeproof.dev/extra-node=true --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
}

# node_index <name>: 2 for kubeproof-lab-2; fails for a name that is no extra node with state here.
node_index() {
  local i="${1#kubeproof-lab-}"
  [[ "$1" == kubeproof-lab-* && "$i" =~ ^[0-9]+$ && -d "$(node_dir "$i")" ]] || die "$1 is not an extra lab node started here" "extra nodes: $(existing_nodes | sed 's/^/kubeproof-lab-/' | tr '\n' ' ')"
  echo "$i"
}

# prune: delete the Node objects of extra nodes whose kubelet does not run here (a lab stopped
# without lab:down); a NotReady node left behind would count in every scenario.
nodes_prune() {
  local name
  for name in $(kc get nodes -l kubeproof.dev/extra-node=true -o jsonpath='{.items[*].metadata.name}' 2>/dev/null); do
    is_running "kubelet-$name" && continue
    kc delete node "$name" --ignore-not-found --wait=false >/dev/null && log "deleted Node $name (its kubelet does not run)"
  done
}

nodes_status() {
  local i name
  for i in $(existing_nodes); do
    name="$(node_name "$i")"
    printf '%s: kubelet %s, containerd %s, Ready=%s\n' "$name" \
      "$(is_running "kubelet-$name" && echo running || echo stopped)" "$(is_running "containerd-$name" && echo running || echo stopped)" \
      "$(kc get node "$name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || echo '?')"
  done
}

[ "$(id -u)" -eq 0 ] || [ "${1:-up}" = status ] || die "not root: the extra nodes run containerd and kubelets. Run: sudo bash lab/nodes.sh ${1:-up}"
case "${1:-up}" in
  up) nodes_up "${2:-2}" ;;
  down) nodes_down ;;
  status) nodes_status ;;
  prune) nodes_prune ;;
  stop) i="$(node_index "${2:-}")" || exit 1; node_stop "$i"; log "node $2 stopped (kubelet, containers, containerd); its Node object stays" ;;
  start)
    i="$(node_index "${2:-}")" || exit 1
    node_up "$i"
    LAST=""
    wait_for "kubelet-$2" 120 node_ready "$2"
    log "node $2 Ready again"
    ;;
  *) die "usage: lab/nodes.sh up [COUNT] | down | status | prune | stop NODE | start NODE" ;;
esac

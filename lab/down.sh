#!/usr/bin/env bash
# lab:down — stop everything lab:up started (by recorded pid) and leave the
# machine clean: containers, shims, mounts, network namespaces, the bridge,
# nftables/iptables rules, kubelet cgroups and the sysctls it changed.
# Safe after a half-failed lab:up and safe to run twice.
#   lab/down.sh          keep state (PKI, etcd data, images) for a fast next up
#   lab/down.sh --purge  also delete the state directory
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PURGE=0
[ "${1:-}" = "--purge" ] && PURGE=1
[ "$(id -u)" -eq 0 ] || die "not root: lab:down must undo mounts and netfilter rules. Run: sudo npm run lab:down"

# 1. the kubelet first, so it does not restart containers we stop
# The extra nodes first, while the API server can still delete their Node objects.
bash "$LAB_DIR/nodes.sh" down
stop_daemon kubelet 15

# 2. every container of the lab's containerd (k8s.io namespace), recording the
#    pod network namespaces first so they can be removed afterwards.
NETNS_LIST="$RUN/netns.list"
if is_running containerd && [ -S "$CONTAINERD_SOCK" ]; then
  for id in $(lab_ctr -n k8s.io containers ls -q 2>/dev/null); do
    lab_ctr -n k8s.io containers info "$id" 2>/dev/null |
      jq -r '.Spec.linux.namespaces[]? | select(.type=="network") | .path // empty' >> "$NETNS_LIST" 2>/dev/null || true
  done
  tasks="$(lab_ctr -n k8s.io tasks ls -q 2>/dev/null)"
  if [ -n "$tasks" ]; then
    log "killing $(wc -w <<<"$tasks") lab containers"
    for t in $tasks; do lab_ctr -n k8s.io tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    sleep 1
    for t in $tasks; do lab_ctr -n k8s.io tasks delete -f "$t" >/dev/null 2>&1 || true; done
  fi
  for id in $(lab_ctr -n k8s.io containers ls -q 2>/dev/null); do
    lab_ctr -n k8s.io containers delete "$id" >/dev/null 2>&1 || true
  done
fi

# 3. the daemons, reverse start order
for c in kube-proxy kube-scheduler kube-controller-manager; do stop_daemon "$c" 15 & done
wait
stop_daemon kube-apiserver 15 &   # before etcd: an apiserver without etcd hangs in shutdown
stop_daemon containerd 15 &
wait
stop_daemon etcd 15

# 4. shims our containerd started (they outlive it by design); matched by
#    the lab's own containerd socket in their command line, killed by pid.
for p in $(lab_shim_pids); do log "killing leftover shim pid $p"; kill -KILL "$p" 2>/dev/null || true; done

# 4b. container processes that outlived their shim or containerd (a crashed
#     runtime): everything still inside the kubelet's kubepods cgroups.
for ctl in pids memory cpu; do
  d="/sys/fs/cgroup/$ctl/kubepods"
  [ -d "$d" ] || continue
  pids="$(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | tr '\n' ' ')"
  if [ -n "${pids// /}" ]; then
    log "killing $(wc -w <<<"$pids") leftover container process(es) in $d"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.5
  fi
  break
done

# 5. mounts under the lab's directories, deepest first; then pod netns
umount_under() {
  local root="$1" m
  [ -n "$root" ] || return 0
  awk '{print $2}' /proc/self/mounts | sed 's/\\040/ /g' | grep -E "^${root}(/|$)" | sort -r |
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "could not unmount $m"; done
}
umount_under "$RUN"
umount_under "$STATE"
if [ -f "$NETNS_LIST" ]; then
  sort -u "$NETNS_LIST" | while read -r ns; do
    [ -n "$ns" ] || continue
    umount "$ns" 2>/dev/null; rm -f "$ns"
  done
fi
# netns left by a containerd that died before we could list its containers:
# CRI names them cni-<uuid>; only when no other containerd runs on the machine.
if ! pgrep -x containerd >/dev/null 2>&1; then
  for ns in /run/netns/cni-*; do
    [ -e "$ns" ] || continue
    umount "$ns" 2>/dev/null; rm -f "$ns"
  done
fi

# 6. netfilter: kube-proxy (nftables mode) and kube-network-policies tables,
#    plus any KUBE-* iptables chains the kubelet/kube-proxy created.
for fam in ip ip6 inet; do
  for t in $(nft list tables "$fam" 2>/dev/null | awk '{print $3}'); do
    case "$t" in kube-proxy|kube-network-policies*|kubeproof-lab) nft delete table "$fam" "$t" && log "removed nft table $fam $t" ;; esac
  done
done
for ipt in iptables ip6tables; do
  for table in filter nat mangle; do
    $ipt -t "$table" -S 2>/dev/null | grep -E '^-A .*-j KUBE-' | grep -vE '^-A KUBE-' | sed 's/^-A/-D/' |
      while read -r rule; do eval "$ipt -t $table $rule" 2>/dev/null || true; done
    for ch in $($ipt -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/ {print $2}'); do
      $ipt -t "$table" -F "$ch" 2>/dev/null || true
    done
    for ch in $($ipt -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/ {print $2}'); do
      $ipt -t "$table" -X "$ch" 2>/dev/null || true
    done
  done
done

# ipsets of the NetworkPolicy enforcer (kube-router), now unreferenced
if command -v ipset >/dev/null 2>&1; then
  for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router)'); do ipset destroy "$set" 2>/dev/null || true; done
fi

# iptables-nft tables the lab brought into existence (none of its own rules
# are left in them by now): removed when empty and absent before lab:up.
if [ -f "$RUN/nft-tables.before" ]; then
  nft list tables 2>/dev/null | while read -r _ fam name; do
    grep -qxF "$fam $name" "$RUN/nft-tables.before" && continue
    case "$name" in filter|nat|mangle|raw|security)
      nft list table "$fam" "$name" 2>/dev/null | grep -qvE '^\s*(table|chain|type|policy|\}|$)' ||
        { nft delete table "$fam" "$name" && log "removed empty nft table $fam $name"; } ;;
    esac
  done
fi

# 7. network: veths still on the bridge, then the bridge itself
if [ -e "/sys/class/net/$LAB_BRIDGE" ]; then
  for port in /sys/class/net/"$LAB_BRIDGE"/brif/*; do
    [ -e "$port" ] && ip link del "$(basename "$port")" 2>/dev/null
  done
  ip link del "$LAB_BRIDGE" && log "removed bridge $LAB_BRIDGE"
fi
rm -rf "$STATE/cni/ipam"

# 8. cgroups the kubelet created (cgroupfs driver): kubepods, deepest first
for ctl in /sys/fs/cgroup/*/; do
  [ -d "${ctl}kubepods" ] || continue
  find "${ctl}kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
  [ -d "${ctl}kubepods" ] && warn "could not remove ${ctl}kubepods (processes still inside?)"
done
[ -d /sys/fs/cgroup/unified/kubepods ] && find /sys/fs/cgroup/unified/kubepods -depth -type d -exec rmdir {} \; 2>/dev/null

# 9. sysctls back to what they were before lab:up
if [ -f "$RUN/sysctl.orig" ]; then
  while IFS= read -r kv; do sysctl -qw "$kv" 2>/dev/null || true; done < "$RUN/sysctl.orig"
  log "restored sysctls"
fi

rm -rf "$RUN"
if [ "$PURGE" = 1 ]; then
  rm -rf "$STATE" && log "purged $STATE"
fi
log "lab is down"

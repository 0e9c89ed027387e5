#!/usr/bin/env bash
# lab:status — which lab processes run (by recorded pid), their memory, and
# what the cluster says. Exit 0 when every component runs and the node is Ready.
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

rc=0
total=0
printf '%-26s %-8s %-8s %s\n' COMPONENT PID RSS_MB STATE
for c in etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
  if is_running "$c"; then
    pid="$(cat "$(pidfile "$c")")"
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + rss))
    printf '%-26s %-8s %-8s %s\n' "$c" "$pid" "$((rss / 1024))" running
  else
    printf '%-26s %-8s %-8s %s\n' "$c" - - stopped
    rc=1
  fi
done
# extra nodes (lab/nodes.sh), one line each
bash "$LAB_DIR/nodes.sh" status
# containers: every shim of the lab's containerd plus its process tree (the pods)
mapfile -t shims < <(lab_shim_pids)
shim_rss=0
[ ${#shims[@]} -eq 0 ] || shim_rss="$(tree_rss_kb "${shims[@]}")"
printf '%-26s %-8s %-8s %s\n' "pods+shims" - "$((shim_rss / 1024))" ""
printf '%-26s %-8s %-8s %s\n' TOTAL - "$(((total + shim_rss) / 1024))" ""
echo
if [ -f "$KUBECONFIG_LAB" ] && is_running kube-apiserver; then
  echo "KUBECONFIG=$KUBECONFIG_LAB"
  kc get nodes -o wide 2>&1 || rc=1
  echo
  kc get pods -A -o wide 2>&1
  [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] || rc=1
else
  echo "cluster not running (start it: npm run lab:up)"
fi
exit $rc

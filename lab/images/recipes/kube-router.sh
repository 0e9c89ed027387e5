# kube-router, network policy controller only (iptables + ipset). It replaces
# kube-network-policies on kernels without the nft `queue` expression (this
# VM's: "Could not process rule: No such file or directory" on `queue num`).
# Debian base: needs the iptables (nft backend, like the host) and ipset tools.
REF="kubeproof.local/kube-router:$KUBE_ROUTER_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/usr/local/bin/kube-router"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/cloudnativelabs/kube-router"
populate() {
  mkdir -p "$1/usr/local/bin"
  go_bin "github.com/cloudnativelabs/kube-router/v2@$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router "$1/usr/local/bin"
}

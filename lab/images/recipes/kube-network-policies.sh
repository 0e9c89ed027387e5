# kube-network-policies: NetworkPolicy enforcement with nftables + nfqueue
# (netlink only, no nft binary needed), scratch image, runs hostNetwork.
REF="kubeproof.local/kube-network-policies:$KNP_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/kube-network-policies"]}'
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}sigs.k8s.io/kube-network-policies"
populate() { go_bin "sigs.k8s.io/kube-network-policies@$KNP_VERSION" sigs.k8s.io/kube-network-policies/cmd "$1" kube-network-policies; }

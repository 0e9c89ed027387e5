# CoreDNS from the Go module proxy, scratch image. The lab Corefile has no
# forward plugin: cluster names only, nothing leaves the machine.
REF="kubeproof.local/coredns:$COREDNS_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/coredns"]}'  # root + NET_BIND_SERVICE only (see manifest) to bind :53
populate() { go_bin "github.com/coredns/coredns@$COREDNS_VERSION" github.com/coredns/coredns "$1"; }

# rancher local-path-provisioner: dynamic hostPath PVs (default StorageClass).
REF="kubeproof.local/local-path-provisioner:$LOCAL_PATH_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/local-path-provisioner"]}'
populate() { go_bin "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION" github.com/rancher/local-path-provisioner "$1"; }

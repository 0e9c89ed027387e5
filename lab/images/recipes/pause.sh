# pause 3.10: Kubernetes' own pause.c (shipped in the k8s.io/kubernetes module
# zip at build/pause/linux/pause.c), static C build, scratch image.
REF="kubeproof.local/pause:$PAUSE_VERSION"
BASE=scratch
CONFIG='{"Entrypoint":["/pause"],"User":"65535:65535"}'
populate() {
  local src
  src="$(go env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause/linux/pause.c"
  [ -f "$src" ] || (cd "$LAB_DIR/k8s" && GOFLAGS=-mod=mod go mod download k8s.io/kubernetes)
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-kubeproof" -o "$1/pause" "$src"
  strip "$1/pause"
}

# k6 load generator (built by lab/components/k6.sh into $CACHE/bin/k6).
REF="kubeproof.local/k6:$K6_IMAGE_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/usr/local/bin/k6"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  bash "$LAB_DIR/components/k6.sh" >&2
  mkdir -p "$1/usr/local/bin"
  cp -L "$CACHE/bin/k6" "$1/usr/local/bin/k6"
}

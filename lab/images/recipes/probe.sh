# The in-cluster probe: shell, curl, openssl, nc/socat, dig/nslookup, ip, jq.
# Also the helper image for local-path-provisioner (needs sh, mkdir, rm).
REF="kubeproof.local/probe:$DEBIAN_SUITE-1"
BASE=debian
CONFIG='{"Cmd":["sleep","infinity"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() { mkdir -p "$1/work"; }

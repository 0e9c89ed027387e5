#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Kyverno Chainsaw, the peer `npm run bench:peer` measures kubeproof against,
# built from its Go module (no Debian package, no npm package).
#
# The Go module proxy here refuses chainsaw's version list and sum.golang.org
# does not know v0.2.15, so `go install …@v0.2.15` cannot work: go_build_module
# (lab/lib.sh) downloads exactly that module version and builds it as the main
# module, with GONOSUMDB for this one module (its own go.sum still pins every
# dependency). v0.2.12 and older do not compile with Go 1.26.
# Output: $CACHE/chainsaw-<ver>/chainsaw and the symlink $CACHE/bin/chainsaw,
# stamp chainsaw-<ver>. Idempotent: a second run only checks the stamp.
#
# Usage: bash lab/components/chainsaw.sh      (CHAINSAW_VERSION overrides the pin)
set -euo pipefail
COMPONENT=chainsaw
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="${CHAINSAW_VERSION:-v0.2.15}"   # the newest release the proxy serves that builds with the local Go
MODULE=github.com/kyverno/chainsaw
OUT="$CACHE/chainsaw-$V/chainsaw"
BUILD_LOG="$BUILD_LOGS/chainsaw-$V.log"
mkdir -p "$CACHE_BIN" "$BUILD_LOGS"

if stamp_ok "chainsaw-$V" "$OUT"; then
  ln -sfn "../chainsaw-$V/chainsaw" "$CACHE_BIN/chainsaw"
  log "chainsaw $V already built ($OUT)"
  exit 0
fi

need_cmd go "Go is expected in /usr/local/go/bin"
need_cmd jq "apt-get install jq"
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}$MODULE"
log "go build $MODULE@$V with $(go env GOVERSION) (log: $BUILD_LOG)"
start=$SECONDS
GO_LDFLAGS="-X $MODULE/pkg/version.BuildVersion=$V" go_build_module "$MODULE@$V" "$OUT" "$MODULE" >"$BUILD_LOG" 2>&1 \
  || { tail -n 30 "$BUILD_LOG" >&2; die "go build $MODULE@$V failed (log: $BUILD_LOG)" "check the Go module proxy; chainsaw v0.2.12 and older do not compile with Go 1.26"; }
"$OUT" version >/dev/null 2>&1 || die "built $OUT does not run" "delete it and re-run"
ln -sfn "../chainsaw-$V/chainsaw" "$CACHE_BIN/chainsaw"
stamp_set "chainsaw-$V"
record_time "chainsaw-$V" $((SECONDS - start))
log "built chainsaw $V in $((SECONDS - start))s: $("$OUT" version 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g')"

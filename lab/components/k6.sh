#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# k6, built from its Go module (k6 ships no Debian package and the npm `k6`
# package is not the load-testing tool).
# Output: $CACHE/k6-<ver>/k6 and the symlink $CACHE/bin/k6, stamp k6-<ver>.
# (A directory per version rather than a renamed binary: `k6 version` prints
# its own file name, and tools parsing "k6 v1.x.y" expect it to be "k6".)
set -euo pipefail
COMPONENT=k6
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="$K6_VERSION"
OUT="$CACHE/k6-$V/k6"
BUILD_LOG="$BUILD_LOGS/k6-$V.log"
mkdir -p "$CACHE_BIN" "$BUILD_LOGS"

if stamp_ok "k6-$V" "$OUT"; then
  ln -sfn "../k6-$V/k6" "$CACHE_BIN/k6"
  log "k6 $V already built ($OUT)"
  exit 0
fi

need_cmd go "Go is expected in /usr/local/go/bin"
log "go build go.k6.io/k6@$V (log: $BUILD_LOG)"
start=$SECONDS
go_build_module "go.k6.io/k6@$V" "$OUT" go.k6.io/k6 >"$BUILD_LOG" 2>&1 \
  || { tail -n 30 "$BUILD_LOG" >&2; die "go build go.k6.io/k6@$V failed (log: $BUILD_LOG)" "check the Go module proxy and that the local Go is new enough for k6 $V"; }
"$OUT" version >/dev/null 2>&1 || die "built $OUT does not run" "delete it and re-run"
ln -sfn "../k6-$V/k6" "$CACHE_BIN/k6"
stamp_set "k6-$V"
record_time "k6-$V" $((SECONDS - start))
log "built $("$OUT" version | head -n1)"

#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# kubeseal, the Sealed Secrets CLI (bitnami-labs/sealed-secrets cmd/kubeseal),
# built from its Go module at $SEALED_SECRETS_VERSION — the same module and
# version as the controller image (lab/images/recipes/sealed-secrets-controller.sh),
# so a secret sealed offline by this CLI is one that controller can open.
# The module's go.mod names itself github.com/bitnami/sealed-secrets, hence
# that package path; go_build_module builds it as the main module.
# Output: $CACHE/kubeseal-<ver>/kubeseal and the symlink $CACHE/bin/kubeseal,
# stamp kubeseal-<ver>. Idempotent: a second run only checks the stamp.
#
# Usage: bash lab/components/kubeseal.sh   (build it under the heavy lock:
#        flock /tmp/kubeproof-heavy.lock bash lab/components/kubeseal.sh)
set -euo pipefail
COMPONENT=kubeseal
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="$SEALED_SECRETS_VERSION"
MODULE=github.com/bitnami-labs/sealed-secrets
OUT="$CACHE/kubeseal-$V/kubeseal"
BUILD_LOG="$BUILD_LOGS/kubeseal-$V.log"
mkdir -p "$CACHE_BIN" "$BUILD_LOGS"

if stamp_ok "kubeseal-$V" "$OUT"; then
  ln -sfn "../kubeseal-$V/kubeseal" "$CACHE_BIN/kubeseal"
  log "kubeseal $V already built ($OUT)"
  exit 0
fi

need_cmd go "Go is expected in /usr/local/go/bin"
need_cmd jq "apt-get install jq"
log "go build $MODULE@$V cmd/kubeseal with $(go env GOVERSION) (log: $BUILD_LOG)"
start=$SECONDS
GO_LDFLAGS="-X main.VERSION=$V" go_build_module "$MODULE@$V" "$OUT" github.com/bitnami/sealed-secrets/cmd/kubeseal >"$BUILD_LOG" 2>&1 \
  || { tail -n 30 "$BUILD_LOG" >&2; die "go build $MODULE@$V (cmd/kubeseal) failed (log: $BUILD_LOG)" "check the Go module proxy; its go.mod requires Go $(sed -n 's/^go //p' "$(go_module_json "$MODULE@$V" | jq -r .GoMod)" 2>/dev/null)"; }
"$OUT" --version >/dev/null 2>&1 || die "built $OUT does not run" "delete it and re-run"
ln -sfn "../kubeseal-$V/kubeseal" "$CACHE_BIN/kubeseal"
stamp_set "kubeseal-$V"
record_time "kubeseal-$V" $((SECONDS - start))
log "built $("$OUT" --version 2>&1 | head -n1) in $((SECONDS - start))s"

#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Lint every shell script of lab/ and test/ with shellcheck (following the
# files they source); exits non-zero on any finding. Installs shellcheck from
# Debian when it is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPONENT=lint-shell
# shellcheck source=../lab/lib.sh
. "$ROOT/lab/lib.sh"

command -v shellcheck >/dev/null 2>&1 || apt_ensure shellcheck
cd "$ROOT"
shopt -s globstar nullglob
scripts=(lab/**/*.sh test/**/*.sh)
shellcheck -x "${scripts[@]}"
log "shellcheck: ${#scripts[@]} scripts clean"

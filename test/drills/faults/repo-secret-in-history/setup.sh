#!/usr/bin/env bash
# A platform repository complete for M11 in which a Secret with data was
# committed and deleted from the tree afterwards; prints KUBEPROOF_PLATFORM_DIR=…
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../../fixtures/make-platform-repo.sh" --secret-in-history

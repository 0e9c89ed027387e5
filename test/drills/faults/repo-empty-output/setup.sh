#!/usr/bin/env bash
# A platform repository complete for M10 except that one required output is an
# empty file; prints KUBEPROOF_PLATFORM_DIR=…
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../../fixtures/make-platform-repo.sh" --empty-output resilience-drill.mp4

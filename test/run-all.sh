#!/usr/bin/env bash
# The README's test command (`npm test`): type check, lint, format, import
# rules and shellcheck, unit tests, catalog and
# dry run, the component tests against real Prometheus, Loki, Kafka, InfluxDB
# and k6 on loopback (started and stopped by test/component/run.sh), and the
# lab's @lab feature on a real single-node Kubernetes (lab/ci.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export TS_NODE_TRANSPILE_ONLY=true

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "type check (the tool and the conveyor services)"
npm run --silent typecheck

step "lint, format, import rules (.dependency-cruiser.cjs) and shellcheck"
npm run --silent lint
npm run --silent format:check
npm run --silent deps:check
bash test/lint-shell.sh

step "unit tests"
node --require ts-node/register --test test/unit/*.test.ts

step "another team's cucumber project reuses the library (test/external)"
node --require ts-node/register --test test/external/*.test.ts

step "step catalog is current"
node --require ts-node/register support/cucumber/catalog.ts --check

step "every feature step is defined (dry run, strict)"
npx cucumber-js --dry-run --strict --format summary --format html:reports/dry-run.html
npx cucumber-js -p component --dry-run --strict --format summary

step "component tests (real components on 127.0.0.1)"
bash test/component/run.sh

# The lab's own feature: a real single-node Kubernetes, built (cached) and
# started here, then stopped again. Needs root; KUBEPROOF_SKIP_LAB=1 skips it
# (and says so) for a quick loop on a machine that cannot run the lab.
if [[ "${KUBEPROOF_SKIP_LAB:-0}" == 1 ]]; then
  step "lab: SKIPPED (KUBEPROOF_SKIP_LAB=1) — the @lab feature did not run"
else
  step "lab (@lab feature on the local single-node Kubernetes)"
  bash lab/ci.sh
fi

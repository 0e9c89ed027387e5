#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Install/build every observability and messaging component the lab and the
# component tests use (this is what `npm run components:build` and CI call).
# Each script is idempotent and keyed by the pins in lab/pins.env, so a second
# run only checks stamps. Prints one summary line per component.
#
# Usage: bash lab/components/all.sh [component...]   (default: all)
set -euo pipefail
COMPONENT=all
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Cheapest first; Loki (a long Go build) last so quick failures show early. Helm and kubeseal
# (Go builds too slow for a cold CI run) are built by lab/nightly.sh and the platforms that use them.
ALL=(prometheus alertmanager influxdb render-tools kafka k6 loki)
[ $# -gt 0 ] && ALL=("$@")

version_of() {
  case "$1" in
    prometheus) echo "$PROMETHEUS_VERSION (Debian $PROMETHEUS_DEB)" ;;
    alertmanager) echo "${ALERTMANAGER_DEB%%-*} (Debian $ALERTMANAGER_DEB)" ;;
    influxdb)   echo "$INFLUXDB_VERSION (Debian $INFLUXDB_DEB)" ;;
    kafka)      echo "$KAFKA_VERSION (Maven Central, KRaft)" ;;
    k6)         echo "$K6_VERSION (Go module)" ;;
    helm)       echo "$HELM_VERSION (Go module helm.sh/helm/v3)" ;;
    kubeseal)   echo "$SEALED_SECRETS_VERSION (Go module bitnami-labs/sealed-secrets)" ;;
    render-tools) echo "chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null), ffmpeg $(dpkg-query -W -f='${Version}' ffmpeg 2>/dev/null) (Debian)" ;;
    loki)
      local p="promtail built"
      [ -f "$STAMPS/promtail-$LOKI_VERSION.failed" ] && p="promtail FAILED, see $STAMPS/promtail-$LOKI_VERSION.failed"
      [ -f "$STAMPS/promtail-$LOKI_VERSION.ok" ] || [ -f "$STAMPS/promtail-$LOKI_VERSION.failed" ] || p="promtail not built"
      echo "$LOKI_VERSION (Go module; $p)" ;;
    *) echo "?" ;;
  esac
}

summary=()
failed=0
for c in "${ALL[@]}"; do
  script="$LAB_DIR/components/$c.sh"
  [ -f "$script" ] || die "unknown component '$c'" "choose from: prometheus alertmanager influxdb render-tools kafka k6 helm kubeseal loki"
  t0=$SECONDS
  if bash "$script"; then
    status=ok
  else
    status=FAILED
    failed=1
  fi
  summary+=("$(printf '%-12s %-6s %-55s %5ss' "$c" "$status" "$(version_of "$c")" $((SECONDS - t0)))")
done

printf '\nkubeproof components (cache: %s)\n' "$CACHE"
printf '  %s\n' "${summary[@]}"
[ "$failed" = 0 ] || die "some components failed (see messages above)" "fix the first error and re-run: bash lab/components/all.sh"

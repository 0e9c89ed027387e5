# shellcheck shell=bash
# The Lego Loco cluster (seeds/002_…: emulator instances, a backend that discovers
# them through EndpointSlices, a frontend; Prometheus with alert rules, Loki +
# Promtail) on the lab. Sourced by lab/verify-platform.sh (`npm run verify -- --platform loco`).
# shellcheck disable=SC2034  # read by lab/verify-platform.sh
PLATFORM_NS=loco
# The three services are built from services/loco-*; Prometheus, Loki and Promtail are the lab's own builds.
# shellcheck disable=SC2034
PLATFORM_IMAGES=(loco-emulator loco-backend loco-frontend prometheus loki promtail)
# shellcheck disable=SC2034
PLATFORM_WORKLOADS=(deployment/loco-loki deployment/loco-prometheus daemonset/loco-promtail statefulset/loco-emulator deployment/loco-backend deployment/loco-frontend)

platform_env() {
  export KUBEPROOF_NAMESPACE="$PLATFORM_NS"
  KUBEPROOF_PROMETHEUS_URL="http://$(svc_ip loco-prometheus):9090"
  KUBEPROOF_LOKI_URL="http://$(svc_ip loco-loki):3100"
  export KUBEPROOF_PROMETHEUS_URL KUBEPROOF_LOKI_URL
  # No Grafana server can be built here: its criteria are not verified, with this reason.
  export KUBEPROOF_ABSENT="${KUBEPROOF_ABSENT:-grafana=no Grafana server can be built from the package registries here}"
}

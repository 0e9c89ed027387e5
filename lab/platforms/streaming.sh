# shellcheck shell=bash
# The streaming prototype (seeds/000_…: index, streamer and frontend services,
# Prometheus with alert rules, Alertmanager and a webhook receiver, Loki + Promtail, a resource
# quota) on the lab.
# Sourced by lab/verify-platform.sh (`npm run verify -- --platform streaming`).
# shellcheck disable=SC2034  # read by lab/verify-platform.sh
PLATFORM_NS=streaming
# The three services are built from services/streaming-*; Prometheus, Alertmanager, Loki and Promtail are
# the lab's own builds; the webhook sink (services/webhook-sink) is the notifier.
# shellcheck disable=SC2034
PLATFORM_IMAGES=(streaming-index streaming-streamer streaming-frontend prometheus alertmanager webhook-sink loki promtail)
# shellcheck disable=SC2034
PLATFORM_WORKLOADS=(deployment/loki deployment/prometheus deployment/alertmanager deployment/webhook-sink daemonset/promtail
  deployment/streaming-index deployment/streaming-streamer deployment/streaming-frontend)

platform_env() {
  export KUBEPROOF_NAMESPACE="$PLATFORM_NS"
  KUBEPROOF_PROMETHEUS_URL="http://$(svc_ip prometheus):9090"
  KUBEPROOF_LOKI_URL="http://$(svc_ip loki):3100"
  KUBEPROOF_ALERTMANAGER_URL="http://$(svc_ip alertmanager):9093"
  KUBEPROOF_WEBHOOK_SINK_URL="http://$(svc_ip webhook-sink):8080"
  export KUBEPROOF_PROMETHEUS_URL KUBEPROOF_LOKI_URL KUBEPROOF_ALERTMANAGER_URL KUBEPROOF_WEBHOOK_SINK_URL
  # The lab overlay runs no Grafana server: its criteria are not verified, with this reason.
  if ! kc -n "$PLATFORM_NS" get deployment grafana >/dev/null 2>&1; then
    export KUBEPROOF_ABSENT="${KUBEPROOF_ABSENT:-grafana=no Grafana server can be built from the package registries here}"
  fi
}

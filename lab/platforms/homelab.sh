# shellcheck shell=bash
# The k3d homelab (seeds/004_…: Home Assistant, media and Frigate stand-ins, StorageClasses
# `standard` and `nas`, Ingresses with TLS, a SealedSecret, Prometheus with the baseline alert
# rules, Alertmanager and a webhook receiver, Loki + Promtail) on the lab. Sourced by
# lab/verify-platform.sh (`npm run verify -- --platform homelab`).
#
# Beyond the kustomize overlay:
#   platform_prepare  the agents: two extra lab nodes with the simulated hardware labels; the cluster add-ons the homelab needs and the lab does not start by itself:
#                     the Sealed Secrets controller and Traefik (lab/manifests/optional/*.yaml,
#                     applied as written, shared with other platforms, never deleted here); kubeseal;
#                     the TLS certificate for *.homelab.local from a homelab CA (lab/pki.sh).
#   platform_install  the deploy-time material: the TLS Secret homelab-tls (+ the CA as ConfigMap
#                     homelab-ca) and the SealedSecret homelab-media, sealed with kubeseal against the
#                     controller's certificate. The plaintext API key stays in the lab's state
#                     directory (0600), never in the repository.
# shellcheck disable=SC2034  # read by lab/verify-platform.sh
PLATFORM_NS=homelab
# k3d's two agents: lab/nodes.sh's extra nodes, started by platform_prepare.
PLATFORM_EXTRA_NODES=2
# The stand-ins run on the lab's Node.js image; Prometheus, Alertmanager, Loki, Promtail are the lab's
# builds; the webhook sink is the alerting receiver; the controller and Traefik are the add-ons.
# shellcheck disable=SC2034
PLATFORM_IMAGES=(node prometheus alertmanager webhook-sink loki promtail sealed-secrets-controller traefik)
# shellcheck disable=SC2034
PLATFORM_WORKLOADS=(deployment/loki daemonset/promtail deployment/prometheus deployment/alertmanager deployment/webhook-sink
  statefulset/home-assistant deployment/nzbget deployment/sonarr deployment/radarr deployment/frigate)

# shellcheck source=../pki.sh
source "$LAB_DIR/pki.sh"
HOMELAB_STATE="$STATE/platform/homelab"
HOMELAB_ADDON_MANAGER=kubeproof-lab-addons

# homelab_addon <manifest> <namespace> <deployment>: applied as written, then rolled out (bounded).
homelab_addon() {
  local file="$1" ns="$2" deploy="$3" i
  kc apply --server-side --force-conflicts --field-manager="$HOMELAB_ADDON_MANAGER" -f "$file" >> "$LOGS/homelab-addons.log" 2>&1 ||
    die "kubectl apply -f ${file#"$REPO_DIR"/} failed (log: $LOGS/homelab-addons.log)"
  for i in $(seq 1 120); do
    kc -n "$ns" rollout status "deployment/$deploy" --timeout=1s >/dev/null 2>&1 && { log "  add-on $ns/$deploy ready"; return 0; }
    sleep 1
  done
  kc -n "$ns" get pods -o wide >&2 || true
  die "the add-on $ns/$deploy (${file#"$REPO_DIR"/}) did not roll out within 120s"
}

platform_prepare() {
  bash "$LAB_DIR/components/kubeseal.sh" >/dev/null || die "kubeseal could not be built (lab/components/kubeseal.sh; log in $CACHE/logs)"
  # k3d's 1 server + 2 agents: the lab's first node and two extra nodes (lab/nodes.sh; they stay up, stop
  # them with lab/nodes.sh down), the agents labelled with the simulated hardware (roadmap 6.3) as the
  # homelab's k3d configuration does.
  LAB_EXTRA_NODE_IMAGES=promtail bash "$LAB_DIR/nodes.sh" up "$PLATFORM_EXTRA_NODES" || die "the homelab's two agent nodes did not start (lab/nodes.sh)"
  kc label node kubeproof-lab-2 hardware/zigbee=true hardware/usb=true --overwrite >/dev/null
  kc label node kubeproof-lab-3 hardware/nvidia=true storage/nas=true --overwrite >/dev/null
  homelab_addon "$LAB_DIR/manifests/optional/sealed-secrets.yaml" kube-system sealed-secrets-controller
  homelab_addon "$LAB_DIR/manifests/optional/traefik.yaml" traefik traefik
  mkdir -p "$HOMELAB_STATE" && chmod 700 "$HOMELAB_STATE"
  # A CA of the homelab (as k3d's self-signed ClusterIssuer would be) and its wildcard certificate; kept across runs.
  pki_ca "$HOMELAB_STATE" ca "/CN=homelab lab CA"
  pki_cert "$HOMELAB_STATE" wildcard ca "/CN=*.homelab.local" server "DNS:*.homelab.local,DNS:homelab.local"
  pki_valid "$HOMELAB_STATE/wildcard.crt" 30 || { rm -f "$HOMELAB_STATE/wildcard."*; pki_cert "$HOMELAB_STATE" wildcard ca "/CN=*.homelab.local" server "DNS:*.homelab.local,DNS:homelab.local"; }
  # The media API key: generated once, kept in the lab's state only.
  [ -s "$HOMELAB_STATE/media-api-key" ] || (umask 077; openssl rand -hex 16 > "$HOMELAB_STATE/media-api-key")
}

platform_install() {
  local work="$RUN/homelab" cert
  mkdir -p "$work"
  kc -n "$PLATFORM_NS" create secret tls homelab-tls --cert="$HOMELAB_STATE/wildcard.crt" --key="$HOMELAB_STATE/wildcard.key" \
    --dry-run=client -o yaml | kc label --local -f - -o yaml app.kubernetes.io/part-of=homelab |
    kc apply --server-side --force-conflicts --field-manager="$FIELD_MANAGER" -f - >/dev/null || die "could not apply the TLS Secret homelab-tls"
  kc -n "$PLATFORM_NS" create configmap homelab-ca --from-file=ca.crt="$HOMELAB_STATE/ca.crt" --dry-run=client -o yaml |
    kc apply --server-side --force-conflicts --field-manager="$FIELD_MANAGER" -f - >/dev/null || die "could not apply the ConfigMap homelab-ca"
  # Sealed against the controller's certificate (fetched once, then sealing is offline); the
  # controller unseals it into the Secret homelab-media that the media stand-ins read.
  cert="$work/sealed-secrets-cert.pem"
  "$CACHE_BIN/kubeseal" --kubeconfig "$KUBECONFIG_LAB" --controller-namespace kube-system --controller-name sealed-secrets-controller \
    --fetch-cert > "$cert" 2>> "$LOGS/homelab-kubeseal.log" || die "kubeseal --fetch-cert failed (log: $LOGS/homelab-kubeseal.log)"
  kc -n "$PLATFORM_NS" create secret generic homelab-media --from-file=api-key="$HOMELAB_STATE/media-api-key" --dry-run=client -o yaml |
    "$CACHE_BIN/kubeseal" --cert "$cert" --format yaml > "$work/homelab-media.sealed.yaml" 2>> "$LOGS/homelab-kubeseal.log" ||
    die "kubeseal could not seal homelab-media (log: $LOGS/homelab-kubeseal.log)"
  kc apply --server-side --force-conflicts --field-manager="$FIELD_MANAGER" -f "$work/homelab-media.sealed.yaml" >/dev/null ||
    die "could not apply the SealedSecret homelab-media"
  log "  TLS Secret homelab-tls (*.homelab.local, issued by homelab lab CA) and SealedSecret homelab-media applied"
}

platform_env() {
  export KUBEPROOF_NAMESPACE="$PLATFORM_NS"
  KUBEPROOF_PROMETHEUS_URL="http://$(svc_ip prometheus):9090"
  KUBEPROOF_LOKI_URL="http://$(svc_ip loki):3100"
  KUBEPROOF_ALERTMANAGER_URL="http://$(svc_ip alertmanager):9093"
  KUBEPROOF_WEBHOOK_SINK_URL="http://$(svc_ip webhook-sink):8080"
  export KUBEPROOF_PROMETHEUS_URL KUBEPROOF_LOKI_URL KUBEPROOF_ALERTMANAGER_URL KUBEPROOF_WEBHOOK_SINK_URL
  # No Grafana server can be built here: its criteria are not verified, with this reason.
  export KUBEPROOF_ABSENT="${KUBEPROOF_ABSENT:-grafana=no Grafana server can be built from the package registries here}"
}

# shellcheck shell=bash
# The GIIA development cluster (seeds/003_…: namespace giia-dev, shared ConfigMap and Secret,
# PostgreSQL, Redis and NATS installed with the project's own Helm charts, six services from one
# chart, ingress hosts *.giia.local, Prometheus) on the lab. Sourced by lab/verify-platform.sh
# (`npm run verify -- --platform giia`).
#
# Beyond the kustomize overlay (namespace, shared-config, shared-secrets, StorageClass standard,
# NetworkPolicies, Prometheus, dashboard) it installs Helm releases (platform_install), with the
# lab's Helm build (lab/components/helm.sh). "Setup in under 5 minutes" (criterion 003-40) is
# measured here: from the overlay's apply to every workload Ready, when the namespace did not
# exist before (a fresh setup; GIIA_FRESH=1 deletes it first). Image builds and the lab's own
# start are not part of it. The result goes to the ConfigMap giia-setup-timing.
# shellcheck disable=SC2034  # read by lab/verify-platform.sh
PLATFORM_NS=giia-dev
# One service image for the six services; PostgreSQL, Redis and NATS from Debian's packages; the lab's
# Prometheus; Traefik, the lab's ingress controller (it serves the IngressClass nginx).
# shellcheck disable=SC2034
PLATFORM_IMAGES=(giia-service postgresql redis nats prometheus traefik)
GIIA_SERVICES=(auth-service catalog-service ddmrp-engine-service execution-service analytics-service ai-agent-service)
# shellcheck disable=SC2034
PLATFORM_WORKLOADS=(statefulset/postgresql statefulset/redis-master statefulset/nats deployment/giia-prometheus "${GIIA_SERVICES[@]/#/deployment/}")

GIIA_DIR="$REPO_DIR/manifests/platforms/giia"
GIIA_LAB="$GIIA_DIR/overlays/lab"
GIIA_DEPLOY_T0=""
GIIA_FRESH_SETUP=0

giia_helm() { "$CACHE_BIN/helm" --kubeconfig "$KUBECONFIG_LAB" "$@"; }

# secrets.env (shared-secrets): PostgreSQL and Redis keep their passwords in their volumes from
# the first start on, so the credentials live in the lab's state directory
# ($STATE/platform/giia-credentials.env) and are copied into this checkout's overlay (git-ignored).
# Bootstrap order: the lab's copy, this checkout's secrets.env, the cluster's Secret, random new ones.
giia_credentials() {
  local f="$GIIA_LAB/secrets.env" kept="$STATE/platform/giia-credentials.env" from_cluster
  mkdir -p "$STATE/platform"
  if [ ! -s "$kept" ]; then
    if [ -s "$f" ]; then
      cp "$f" "$kept.tmp"
    else
      from_cluster="$(kc -n "$PLATFORM_NS" get secret shared-secrets -o json 2>/dev/null |
        jq -r '.data // {} | to_entries[] | "\(.key)=\(.value | @base64d)"' 2>/dev/null || true)"
      if [ -n "$from_cluster" ]; then
        log "keeping the cluster's Secret $PLATFORM_NS/shared-secrets as the lab's GIIA credentials"
        (umask 077; printf '%s\n' "$from_cluster" > "$kept.tmp")
      else
        log "generating the GIIA credentials -> $kept"
        (umask 077
          printf 'DATABASE_PASSWORD=%s\nREDIS_PASSWORD=%s\nJWT_SECRET=%s\n' \
            "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" "$(openssl rand -hex 32)" > "$kept.tmp")
      fi
    fi
    chmod 600 "$kept.tmp" && mv "$kept.tmp" "$kept"
  fi
  cmp -s "$kept" "$f" || (umask 077; cp "$kept" "$f.tmp" && mv "$f.tmp" "$f")
}

# Before the overlay is applied: Helm, the ingress controller, the credentials, and the start of
# the setup measurement (the ingress controller is the lab's, like minikube's ingress addon: not counted).
platform_prepare() {
  bash "$LAB_DIR/components/helm.sh" >/dev/null || die "the Helm CLI could not be built (lab/components/helm.sh; log in $CACHE/logs)"
  # The lab's ingress controller is not started by lab:up; the platform that needs it starts it.
  kc apply --server-side --field-manager=kubeproof-traefik -f "$LAB_DIR/manifests/optional/traefik.yaml" >/dev/null ||
    die "the lab's ingress controller could not be applied (lab/manifests/optional/traefik.yaml)"
  kc -n traefik rollout status deployment/traefik --timeout=120s >/dev/null ||
    die "the lab's ingress controller (deployment traefik/traefik) is not ready after 120s" "kubectl -n traefik describe pods"
  # A second tag of the service image: criterion 003-47 rolls auth-service to a new image and back.
  lab_ctr -n k8s.io images tag --force kubeproof.local/giia-service:dev kubeproof.local/giia-service:v2 >/dev/null ||
    die "cannot tag kubeproof.local/giia-service:dev as :v2 in the lab's containerd"
  giia_credentials
  if [ "${GIIA_FRESH:-0}" = 1 ] && kc get namespace "$PLATFORM_NS" >/dev/null 2>&1; then
    log "GIIA_FRESH=1: deleting namespace $PLATFORM_NS for a fresh setup"
    kc delete namespace "$PLATFORM_NS" --wait=true --timeout=180s >/dev/null || die "namespace $PLATFORM_NS was not deleted within 180s"
  fi
  kc get namespace "$PLATFORM_NS" >/dev/null 2>&1 || GIIA_FRESH_SETUP=1
  GIIA_DEPLOY_T0=$(date +%s)
}

# After the overlay: the Helm releases, all at once (each waits for nothing; the services' readiness
# waits for PostgreSQL, Redis and NATS). The five services besides auth-service use a copy of the
# auth-service chart under their own name (T040/T041: "copy auth-service chart as template").
platform_install() {
  local work="$RUN/giia-charts" name pids=() names=() i rc=0 inputs digest
  rm -rf "$work" && mkdir -p "$work"
  for name in "${GIIA_SERVICES[@]}"; do
    [ "$name" = auth-service ] && continue
    cp -r "$GIIA_DIR/charts/auth-service" "$work/$name"
    sed -i -E "s/^name: auth-service$/name: $name/; s/^description: .*/description: GIIA $name (a copy of the auth-service chart)/" "$work/$name/Chart.yaml"
  done
  # Pods do not restart when a re-imported image keeps its tag or shared-config/-secrets change:
  # a hash of those inputs in the pod template rolls them exactly when one changed.
  digest="$(lab_ctr -n k8s.io images ls 2>/dev/null | awk '$1 == "kubeproof.local/giia-service:dev" { print $3 }')"
  inputs="$( { echo "$digest"; cat "$GIIA_LAB/secrets.env" "$GIIA_DIR/base/shared-config.yaml"; } | sha256sum | cut -c1-16)"
  install_release() { # <release> <chart dir> <values files...>
    local rel="$1" chart="$2" args=() v
    shift 2
    for v in "$@"; do args+=(-f "$v"); done
    giia_helm upgrade --install "$rel" "$chart" -n "$PLATFORM_NS" "${args[@]}" "${extra[@]}" > "$LOGS/giia-helm-$rel.log" 2>&1
  }
  local extra=()
  for name in postgresql redis nats; do
    install_release "$name" "$GIIA_DIR/charts/$name" "$GIIA_DIR/charts/$name/values-dev.yaml" "$GIIA_LAB/helm/$name.yaml" &
    pids+=($!) names+=("$name")
  done
  extra=(--set-string "env.KUBEPROOF_INPUTS=$inputs")
  for name in "${GIIA_SERVICES[@]}"; do
    local chart="$work/$name"
    [ "$name" = auth-service ] && chart="$GIIA_DIR/charts/auth-service"
    install_release "$name" "$chart" "$GIIA_DIR/services/$name.yaml" "$GIIA_LAB/helm/giia-service.yaml" &
    pids+=($!) names+=("$name")
  done
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
      log "  helm release ${names[$i]}: $(grep -m1 '^STATUS:' "$LOGS/giia-helm-${names[$i]}.log" || echo installed)"
    else
      rc=1
      warn "helm upgrade --install ${names[$i]} failed:"
      tail -n 5 "$LOGS/giia-helm-${names[$i]}.log" >&2
    fi
  done
  [ "$rc" = 0 ] || die "Helm releases of $PLATFORM_NS failed (logs: $LOGS/giia-helm-*.log)"
}

platform_env() {
  export KUBEPROOF_NAMESPACE="$PLATFORM_NS"
  KUBEPROOF_PROMETHEUS_URL="http://$(svc_ip giia-prometheus):9090"
  export KUBEPROOF_PROMETHEUS_URL
  # No Grafana server can be built here: its criteria are not verified, with this reason.
  export KUBEPROOF_ABSENT="${KUBEPROOF_ABSENT:-grafana=no Grafana server can be built from the package registries here}"
  # Called right after every workload was Ready: the end of the setup measurement.
  local secs=$(( $(date +%s) - ${GIIA_DEPLOY_T0:-$(date +%s)} ))
  if [ "$GIIA_FRESH_SETUP" = 1 ]; then
    log "fresh setup of $PLATFORM_NS (apply, Helm releases, every workload Ready): ${secs}s"
    kc -n "$PLATFORM_NS" create configmap giia-setup-timing --dry-run=client -o yaml \
      --from-literal=seconds="$secs" --from-literal=mode=fresh \
      --from-literal=started="$(date -u -d "@$GIIA_DEPLOY_T0" +%FT%TZ)" --from-literal=finished="$(date -u +%FT%TZ)" \
      --from-literal=measured="lab/platforms/giia.sh: kustomize apply of the lab overlay + helm upgrade --install of 9 releases until every workload of giia-dev was rolled out and Ready (image builds and the lab's start excluded)" |
      kc label --local -f - -o yaml app.kubernetes.io/part-of=giia | kc apply -f - >/dev/null
  else
    log "update of $PLATFORM_NS in ${secs}s (not a fresh setup: giia-setup-timing keeps the last fresh one; GIIA_FRESH=1 measures again)"
  fi
}

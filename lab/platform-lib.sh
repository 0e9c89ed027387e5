#!/usr/bin/env bash
# shellcheck shell=bash
# platform-lib.sh — deploying a platform onto the lab, shared by lab/verify-conveyor.sh and
# lab/verify-platform.sh. Sourced after lib.sh; the caller sets NS (the platform's namespace),
# OVERLAY (the kustomize overlay), FIELD_MANAGER (server-side apply owner) and NODE_BIN.

# ------------------------------------------------------------- apply
# `kubectl kustomize <overlay>`, plus one pod-template annotation per workload
# (kubeproof.dev/inputs: a hash of its images' containerd digests and of the
# ConfigMaps/Secrets it reads). Pods do not restart by themselves when a
# re-imported image keeps its tag or a mounted ConfigMap changes; with the
# hash they roll exactly when one of their inputs changed, in one generation.
render_overlay() {
  local digests
  digests="$(lab_ctr -n k8s.io images ls 2>/dev/null | awk 'NR > 1 && $1 ~ /^kubeproof\.local\// { print $1 "=" $3 }' | paste -sd' ')"
  # shellcheck disable=SC2016  # a JavaScript program, not shell
  kc kustomize "$OVERLAY" | (cd "$REPO_DIR" && DIGESTS="$digests" "$NODE_BIN" --input-type=module -e '
    import { createRequire } from "node:module";
    import { createHash } from "node:crypto";
    import { readFileSync } from "node:fs";
    const YAML = createRequire(process.cwd() + "/")("yaml");
    const docs = YAML.parseAllDocuments(readFileSync(0, "utf8")).map((d) => d.toJS()).filter(Boolean);
    const digests = Object.fromEntries((process.env.DIGESTS || "").split(" ").filter(Boolean).map((p) => p.split("=")));
    const byName = (kind, name) => docs.find((d) => d.kind === kind && d.metadata?.name === name) ?? `${kind}/${name}?`;
    for (const d of docs) {
      if (!["Deployment", "StatefulSet", "DaemonSet"].includes(d.kind)) continue;
      const spec = d.spec.template.spec;
      const inputs = [];
      for (const c of [...(spec.initContainers || []), ...spec.containers]) {
        inputs.push(c.image + "@" + (digests[c.image] || "?"));
        for (const e of c.envFrom || []) {
          if (e.configMapRef) inputs.push(byName("ConfigMap", e.configMapRef.name));
          if (e.secretRef) inputs.push(byName("Secret", e.secretRef.name));
        }
        for (const e of c.env || []) {
          if (e.valueFrom?.secretKeyRef) inputs.push(byName("Secret", e.valueFrom.secretKeyRef.name));
          if (e.valueFrom?.configMapKeyRef) inputs.push(byName("ConfigMap", e.valueFrom.configMapKeyRef.name));
        }
      }
      for (const v of spec.volumes || []) {
        if (v.configMap) inputs.push(byName("ConfigMap", v.configMap.name));
        if (v.secret) inputs.push(byName("Secret", v.secret.secretName));
      }
      const meta = (d.spec.template.metadata ??= {});
      (meta.annotations ??= {})["kubeproof.dev/inputs"] = createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 16);
    }
    process.stdout.write(docs.map((d) => YAML.stringify(d)).join("---\n"));
  ')
}

apply_overlay() {
  local i out rendered
  rendered="$(mktemp "/tmp/$FIELD_MANAGER.XXXXXX.yaml")"
  render_overlay > "$rendered" || die "kubectl kustomize ${OVERLAY#"$REPO_DIR"/} failed"
  for i in 1 2 3; do
    if out="$(kc apply --server-side --force-conflicts --field-manager="$FIELD_MANAGER" -f "$rendered" 2>&1)"; then
      printf '%s\n' "$out" >> "$LOGS/$FIELD_MANAGER-apply.log"
      log "  applied $(grep -c . <<<"$out") objects ($(grep -vc ' serverside-applied$' <<<"$out") with remarks)"
      grep -v ' serverside-applied$' <<<"$out" || true
      rm -f "$rendered"
      return 0
    fi
    printf '%s\n' "$out" | tail -n 5 >&2
    warn "kubectl apply (${OVERLAY#"$REPO_DIR"/}) failed (attempt $i/3); retrying in 5s"
    sleep 5
  done
  die "kubectl apply of ${OVERLAY#"$REPO_DIR"/} failed 3 times (output above; rendered manifests kept in $rendered)"
}

diagnose() {
  echo "----- $NS: pods -----" >&2
  kc -n "$NS" get pods -o wide >&2 || true
  echo "----- $NS: recent events -----" >&2
  kc -n "$NS" get events --sort-by=.lastTimestamp 2>/dev/null | tail -n 20 >&2 || true
  local p
  for p in $(kc -n "$NS" get pods -o jsonpath='{range .items[?(@.status.phase!="Running")]}{.metadata.name}{" "}{end}' 2>/dev/null) \
           $(kc -n "$NS" get pods -o jsonpath='{range .items[*]}{.metadata.name}{":"}{.status.containerStatuses[*].ready}{" "}{end}' 2>/dev/null | tr ' ' '\n' | awk -F: '$2 ~ /false/ {print $1}'); do
    echo "----- logs $p (last 20 lines) -----" >&2
    kc -n "$NS" logs "$p" --all-containers --tail=20 >&2 2>&1 || true
  done
}

# A StatefulSet does not replace a pod stuck in CrashLoopBackOff/not Ready
# with its new revision (kubernetes/kubernetes#67250); after an apply, delete
# such pods of an outdated revision so the fixed spec gets a chance.
unstick_statefulsets() {
  local sts rev pod prev ready
  for sts in $(kc -n "$NS" get statefulsets -o jsonpath='{.items[*].metadata.name}'); do
    rev="$(kc -n "$NS" get statefulset "$sts" -o jsonpath='{.status.updateRevision}')"
    for pod in $(kc -n "$NS" get pods -l "app=$sts" -o jsonpath='{.items[*].metadata.name}'); do
      prev="$(kc -n "$NS" get pod "$pod" -o jsonpath='{.metadata.labels.controller-revision-hash}')"
      ready="$(kc -n "$NS" get pod "$pod" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
      if [ -n "$rev" ] && [ "$prev" != "$rev" ] && [ "$ready" != True ]; then
        log "  statefulset/$sts: pod $pod is not Ready and still on revision $prev (want $rev); deleting it so the new revision starts"
        kc -n "$NS" delete pod "$pod" --wait=false >/dev/null
      fi
    done
  done
}

# rolled_out <kind/name>: prints the observed state; true when every replica
# runs the latest spec and is Ready. (Own check instead of `kubectl rollout
# status`, which gives up for good once a Deployment passed its progress
# deadline, e.g. while it waited for Kafka.)
rolled_out() {
  local kind="${1%%/*}" name="${1#*/}" j
  case "$kind" in
    deployment)  j='{.metadata.generation} {.status.observedGeneration} {.spec.replicas} {.status.updatedReplicas} {.status.readyReplicas} {.status.replicas}' ;;
    statefulset) j='{.metadata.generation} {.status.observedGeneration} {.spec.replicas} {.status.updatedReplicas} {.status.readyReplicas} {.status.replicas} {.status.currentRevision} {.status.updateRevision}' ;;
    daemonset)   j='{.metadata.generation} {.status.observedGeneration} {.status.desiredNumberScheduled} {.status.updatedNumberScheduled} {.status.numberReady} {.status.currentNumberScheduled}' ;;
  esac
  local gen obs want upd ready have cur next
  read -r gen obs want upd ready have cur next < <(kc -n "$NS" get "$kind" "$name" -o jsonpath="$j" 2>/dev/null; echo)
  STATE="$kind/$name: ${ready:-0}/${want:-?} ready, ${upd:-0} updated, ${have:-0} pods (generation ${gen:-?}, observed ${obs:-?}${next:+, revision $cur -> $next})"
  [ -n "$gen" ] && [ "${obs:-0}" -ge "$gen" ] && [ "${want:-x}" = "${upd:-0}" ] && [ "${want:-x}" = "${ready:-0}" ] && [ "${want:-x}" = "${have:-0}" ] &&
    [ "${cur:-}" = "${next:-}" ]
}

# svc_ip <service>: the Service's ClusterIP in $NS (the lab's service network is reachable from the host).
svc_ip() { kc -n "$NS" get svc "$1" -o jsonpath='{.spec.clusterIP}' 2>/dev/null; }

# wait_workloads <timeout-seconds> <kind/name>...: each rolled out and Ready, in order, within one
# overall bound; on timeout the diagnosis and the last observed state of the one not ready.
wait_workloads() {
  local timeout="$1" w deadline STATE=""
  shift
  deadline=$(( $(date +%s) + timeout ))
  for w in "$@"; do
    kc -n "$NS" get "$w" >/dev/null 2>&1 || die "$w is not in ${OVERLAY#"$REPO_DIR"/} (namespace $NS)" "fix the platform's workload list or its manifests"
    until rolled_out "$w"; do
      if [ "$(date +%s)" -ge "$deadline" ]; then
        diagnose
        die "waited ${timeout}s in total for namespace $NS to roll out; not ready: $STATE"
      fi
      sleep 1
    done
    log "  $w ready ($STATE)"
  done
}

# one_node_only <platform>: a platform verified on one node stops the lab's extra nodes (lab/nodes.sh;
# e.g. left by the homelab): its DaemonSets would otherwise be asked to run there too.
one_node_only() {
  [ -n "$(kc get nodes -l kubeproof.dev/extra-node=true -o name 2>/dev/null)" ] || return 0
  step "stopping the lab's extra nodes: $1 is verified on one node"
  bash "$LAB_DIR/nodes.sh" down || die "stopping the extra nodes failed (lab/nodes.sh down)"
}

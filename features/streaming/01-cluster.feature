@streaming
Feature: Streaming prototype — the VM, the cluster and the namespace (plan phases 1–2, checklist step 1)
  The plan's target: one small dev VM (2 CPU, 4 GB RAM, 20 GB disk) running Minikube
  with ingress and metrics-server, a namespace `streaming` and a resource quota overlay.
  On the lab the cluster is kubeproof's own single node; the platform lives in `streaming`.

  Background:
    Given the platform namespace `streaming`

  Scenario: 000-01 The platform stays within the VM budget of 2 CPU / 4 GB / 20 GB and keeps usage low
    Then the pods in the namespace request at most 2 CPU and 4Gi memory in total
    When the k6 script `fixtures/streaming/browse.js` loads the Service `streaming-frontend` port 8080 in the background for 2m
    Then the pods in the namespace use at most 2 CPU and 4Gi memory over 2m
    And the background load runs to its end
    And the field `spec.hard.requests\.storage` of the ResourceQuota `streaming-quota` is `20Gi` within 10s

  Scenario: 000-04 The Minikube ingress addon is enabled
    Then this cannot be verified here: "the Minikube ingress addon needs Minikube; the lab's own ingress controller (Traefik, built by the nightly job) serves the platforms whose manifests route hosts through it, and this plan's manifests define no Ingress"

  Scenario: 000-05 metrics-server is enabled and monitoring has the metrics API
    Then the APIService `v1beta1.metrics.k8s.io` has the condition `Available` within 30s
    And pod metrics for deployment `streaming-index` report CPU and memory within 2m
    And pod metrics for deployment `prometheus` report CPU and memory within 2m

  Scenario: 000-06 The project namespace `streaming` exists
    Then the Namespace `streaming` exists
    And the Namespace `streaming` has the label `app.kubernetes.io/part-of=streaming`

  Scenario: 000-07 The resource-quota overlay is applied and enforced
    Then the ResourceQuota `streaming-quota` exists
    And the field `spec.hard.requests\.cpu` of the ResourceQuota `streaming-quota` is `2` within 10s
    And the field `spec.hard.requests\.memory` of the ResourceQuota `streaming-quota` is `4Gi` within 10s
    And the LimitRange `streaming-defaults` exists
    And applying the manifest `fixtures/streaming/quota-too-big.yaml` is rejected with `exceeded quota`

  Scenario: 000-31 `minikube start --driver=docker --cpus=2 --memory=4096 --disk-size=20g` works
    Then this cannot be verified here: "Minikube with the Docker driver needs a Docker engine, which these machines do not have; the platform runs on kubeproof's lab cluster instead"

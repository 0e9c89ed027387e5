@lab
Feature: Spec hygiene, security and budgets pass where the platform is right
  The spec-hygiene steps (requests and limits, non-root, probes, environment, restarts and OOM kills),
  the security steps (what a ServiceAccount may do, who is bound to a ClusterRole, Pod Security
  enforcement) and the budget steps (requests, limits and measured usage of a namespace) pass on the lab
  where the workload is well kept. test/lab/failing/{hygiene,security,budget}.feature show each failing.

  Background:
    Given a fresh namespace for this scenario

  Scenario: A well-kept Deployment: requests and limits, a non-root user, probes and its environment
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And every container of deployment "app" sets CPU and memory requests and limits
    And every container in the namespace sets CPU and memory requests and limits
    And the containers of deployment "app" request 50m CPU and 48Mi memory and are limited to 0.2 CPU and `96Mi` memory
    And the containers of deployment "app" run as a non-root user
    And every container in the namespace runs as a non-root user
    And the containers of deployment "app" have readiness and liveness probes
    And every container in the namespace has readiness and liveness probes
    And the containers of deployment "app" take their environment from the ConfigMap "app-config"
    And the containers of deployment "app" take their environment from the Secret "app-secret"
    And the containers of deployment "app" have the environment variable "MODE" set to "endpoints"
    And the containers of deployment "app" have the environment variable "DISCOVERY_MODE" set to "endpoints"
    And the containers of deployment "app" have the environment variable "API_TOKEN" set to "lab-token-3c9e51"
    And no container of deployment "app" has restarted more than 0 times
    And no container in the namespace has restarted more than 0 times
    And no container of deployment "app" has been OOMKilled
    And no container in the namespace has been OOMKilled

  Scenario: A container OOMKilled once and restarted stays within a restart budget of one
    When the manifest "fixtures/lab/faults/hygiene-oom-once.yaml" is applied
    Then deployment "oom-once" rolls out with 1 ready replica within 2m
    And no container of deployment "oom-once" has restarted more than 1 time
    And no container in the namespace has restarted more than 1 time

  Scenario: A discovery ServiceAccount may read pods and EndpointSlices, and nothing more
    When the manifest "fixtures/lab/hygiene-rbac.yaml" is applied
    Then the ServiceAccount "discovery" can list "pods"
    And the ServiceAccount "discovery" can `watch` "endpointslices.discovery.k8s.io"
    And the ServiceAccount "discovery" can get "pods/log"
    And the ServiceAccount "discovery" cannot delete "pods"
    And the ServiceAccount "discovery" cannot create "pods/exec"
    And the ServiceAccount "discovery" cannot list "secrets"
    And no ServiceAccount in the namespace is bound to the ClusterRole "cluster-admin"
    And no ServiceAccount in the namespace is bound to the ClusterRole "view"

  Scenario: A namespace that enforces the restricted Pod Security level
    When the manifest "fixtures/lab/hygiene-restricted-namespace.yaml" is applied
    Then the namespace enforces the Pod Security level "restricted"
    And the namespace enforces the Pod Security level "baseline"

  Scenario: A namespace that enforces the baseline level only
    When the manifest "fixtures/lab/faults/hygiene-baseline-namespace.yaml" is applied
    Then the namespace enforces the Pod Security level "baseline"

  Scenario: The namespace's pods stay within their budget of requests, limits and measured usage
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And the pods in the namespace request at most 1 CPU and 1Gi memory in total
    And the pods in the namespace are limited to at most `400m` CPU and `192Mi` memory in total
    And pod metrics for deployment "app" report CPU and memory within 2m
    And the pods in the namespace use at most 1 CPU and 1Gi memory over 30s

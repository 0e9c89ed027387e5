@lab
Feature: The lab is a real Kubernetes cluster
  The embedded lab (npm run lab:up) is a single-node Kubernetes built from
  package registries. These scenarios show it behaves like any cluster the
  step library will verify: workloads roll out and are reachable by DNS,
  exec and metrics work, the HPA scales, NetworkPolicies are enforced,
  volumes persist and deleted pods come back.

  Background:
    Given a fresh namespace for this scenario

  Scenario: A Deployment rolls out and answers over its Service by DNS name
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And the probe resolves "kubernetes.default" within 30s
    And the probe gets HTTP 200 from "http://echo/" within 30s

  Scenario: exec into a pod works
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And running "hostname" in a pod of deployment "echo" prints that pod's name

  Scenario: Pod metrics (kubectl top) return figures
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And pod metrics for deployment "echo" report CPU and memory within 2m

  Scenario: An HPA scales a CPU-burning Deployment out and back in
    When the manifest "fixtures/lab/cpu-burner.yaml" is applied
    Then deployment "burner" rolls out with 1 ready replica within 2m
    When CPU load is switched on in deployment "burner"
    Then the HPA "burner" scales to at least 2 replicas within 3m
    When CPU load is switched off in deployment "burner"
    Then the HPA "burner" scales to exactly 1 replica within 3m

  Scenario: A server's log read for one client's lines: another client's errors do not count
    When the manifest "fixtures/lab/log-clients.yaml" is applied
    Then deployment "server" rolls out with 1 ready replica within 2m
    And the logs of deployment "server" contain "ERROR handshake failed from" within 30s
    And the logs of deployment "server" contain "INFO GET /ok from" within 30s
    And the logs of deployment "server" show no "ERROR" from the pods of deployment "good-client"

  Scenario: A NetworkPolicy that denies ingress blocks a connection that worked before
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And the probe can connect to "echo" port 80 within 30s
    When the manifest "fixtures/lab/deny-ingress.yaml" is applied
    Then the probe cannot connect to "echo" port 80 within 30s

  Scenario: A PVC binds and keeps its data across a pod restart
    When the manifest "fixtures/lab/pvc.yaml" is applied
    Then deployment "store" rolls out with 1 ready replica within 2m
    And PVC "data" is Bound within 1m
    When a pod of deployment "store" writes a unique text to "/data/proof"
    And all pods of deployment "store" are deleted
    Then deployment "store" has all replicas Ready again within 2m
    And a new pod of deployment "store" reads the same text from "/data/proof"

  Scenario: A deleted pod is replaced and Ready again
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    When one pod of deployment "echo" is deleted
    Then deployment "echo" has all replicas Ready again within 1m

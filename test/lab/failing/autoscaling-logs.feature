# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): metrics, HPA and logs on the lab.
Feature: autoscaling and log checks fail when the platform does not show what they state

  Background:
    Given a fresh namespace for this scenario

  Scenario: a pod that never runs reports no metrics
    Fails with: /crasher/
    When the manifest "fixtures/lab/faults/crasher.yaml" is applied
    Then pod metrics for deployment "crasher" report CPU and memory within 20s

  Scenario: an HPA without load does not scale out
    Fails with: /burner/
    Fails with: /at least 2/
    When the manifest "fixtures/lab/cpu-burner.yaml" is applied
    Then deployment "burner" rolls out with 1 ready replica within 1m
    And the HPA "burner" scales to at least 2 replicas within 20s

  Scenario: load cannot be switched on in a Deployment that does not exist
    Fails with: /HTTP 404: deployments.apps "kubeproof-nothing" not found/
    When CPU load is switched on in deployment "kubeproof-nothing"

  Scenario: a line the workload never prints
    Fails with: /never-printed-xyzzy/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the logs of deployment "echo" contain "never-printed-xyzzy" within 5s

  Scenario: a workload that logs errors does not show none
    Fails with: /ERROR/
    Fails with: /talker/
    When the manifest "fixtures/lab/faults/talker.yaml" is applied
    Then deployment "talker" has at least 1 Ready pod within 1m
    And the logs of deployment "talker" contain "ERROR" within 10s
    And the logs of deployment "talker" show no "ERROR"

  Scenario: a client's errors in a server's log count
    Fails with: /ERROR handshake failed from 10\./
    Fails with: /from the pods of deployment bad-client/
    When the manifest "fixtures/lab/log-clients.yaml" is applied
    Then deployment "server" rolls out with 1 ready replica within 1m
    And the logs of deployment "server" contain "ERROR handshake failed from" within 30s
    And the logs of deployment "server" show no "ERROR" from the pods of deployment "bad-client"

  Scenario: a server's log that never saw the client proves nothing
    Fails with: /none of its log lines names 10\./
    Fails with: /a log that never saw the client proves nothing/
    When the manifest "fixtures/lab/log-clients.yaml" is applied
    And the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "server" rolls out with 1 ready replica within 1m
    And deployment "echo" rolls out with 2 ready replicas within 1m
    And the logs of deployment "server" contain "INFO GET /ok from" within 30s
    And the logs of deployment "server" show no "ERROR" from the pods of deployment "echo"

  Scenario: errors in a crashed container's previous instance count
    Fails with: /cannot start/
    When the manifest "fixtures/lab/faults/crasher.yaml" is applied
    Then the logs of deployment "crasher" contain "cannot start" within 30s
    And the logs of deployment "crasher" show no "cannot start"

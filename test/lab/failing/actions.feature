# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): workload actions on the lab
# (scale, image, restart, roll back, background requests, exec, eviction, traffic cuts,
# teardown, admission). Each must end failed at its last step with the message its
# `Fails with:` lines state.
Feature: workload action checks fail when the workloads are not what they state

  Background:
    Given a fresh namespace for this scenario

  # Scale

  Scenario: a DaemonSet has no replica count to scale
    Fails with: /daemonset agent cannot be scaled/
    When daemonset "agent" is scaled to 2 replicas

  Scenario: a replica the quota does not allow is never Ready, and the quota is named
    Fails with: /echo to have exactly 3 Ready pod/
    Fails with: /exceeded quota/
    When the manifest "fixtures/lab/faults/actions-pod-quota.yaml" is applied
    And the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When deployment "echo" is scaled to 3 replicas
    Then deployment "echo" has exactly 3 Ready pods within 15s

  # Image, restart, roll back

  Scenario: a pod of an image that does not exist is not Ready, and the pull error is named
    Fails with: /echo to have exactly 3 Ready pod/
    Fails with: /ErrImagePull|ImagePullBackOff/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When deployment "echo" is updated to the image "kubeproof.local/no-such-image:1"
    Then deployment "echo" has exactly 3 Ready pods within 20s

  Scenario: an update to an image that does not exist does not roll out
    Fails with: /deployment kp-\S+\/echo to roll out/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When deployment "echo" is updated to the image "kubeproof.local/no-such-image:1"
    Then deployment "echo" rolls out within 20s

  Scenario: a container the Deployment does not have
    Fails with: /deployment kp-\S+\/echo has no container sidecar/
    Fails with: /its containers: echo/
    When the manifest "fixtures/lab/echo.yaml" is applied
    And deployment "echo" is updated to the image "kubeproof.local/probe:bookworm-1" in its container "sidecar"

  Scenario: a Deployment that does not exist cannot be restarted
    Fails with: /HTTP 404: deployments.apps "kubeproof-nothing" not found/
    When deployment "kubeproof-nothing" is restarted

  Scenario: a restart replaces the pod, and a replacement that never becomes Ready does not roll out
    Fails with: /deployment kp-\S+\/ready-once to roll out/
    When the manifest "fixtures/lab/faults/ready-once.yaml" is applied
    Then deployment "ready-once" rolls out with 1 ready replica within 1m
    When deployment "ready-once" is restarted
    Then deployment "ready-once" rolls out within 20s

  Scenario: a Deployment with one revision has nothing to roll back to
    Fails with: /echo has no previous revision to roll back to/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When deployment "echo" is rolled back

  # Background requests

  Scenario: background requests more often than the probe can make them
    Fails with: /every 50ms is too often/
    When the probe requests "http://echo/" every 50ms in the background

  Scenario: requests while the service has no pod do not all succeed
    Fails with: /request\(s\) to http:\/\/echo\/ every 200ms/
    Fails with: /failed; longest failure: \d+ request/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When the probe requests "http://echo/" every 200ms in the background
    And deployment "echo" is scaled to 0 replicas
    Then deployment "echo" has exactly 0 Ready pods within 30s
    And every background request succeeded

  Scenario: requests to a Service that does not exist succeed 0% of the time
    Fails with: /0\.0% succeeded, below 50%/
    When the probe requests "http://kubeproof-nothing/" every 200ms in the background
    And the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the background requests succeeded at least 50 percent of the time

  # Exec

  Scenario: a command that keeps failing does not succeed
    Fails with: /`false` to exit 0 in a pod of deployment echo/
    Fails with: /exit 1 in pod echo-/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And running "false" in a pod of deployment "echo" succeeds within 5s

  Scenario: a command that prints something else
    Fails with: /printed "hello", without "goodbye"/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And running "echo hello" in a pod of deployment "echo" prints "goodbye"

  Scenario: a command that succeeds does not fail
    Fails with: /`true` succeeded \(exit 0 in pod echo-/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And running "true" in a pod of deployment "echo" fails

  Scenario: a command that cannot run for want of a pod is an error, not a failure
    Fails with: /deployment kp-\S+\/echo has no Ready pod to run `false` in/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When deployment "echo" is scaled to 0 replicas
    Then deployment "echo" has exactly 0 Ready pods within 30s
    And running "false" in a pod of deployment "echo" fails

  # Eviction

  Scenario: without a PodDisruptionBudget an eviction is not refused
    Fails with: /the eviction of pod kp-\S+\/echo-\S+ was allowed/
    Fails with: /no PodDisruptionBudget selects its pods/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And evicting a pod of deployment "echo" is refused

  Scenario: a PodDisruptionBudget without room refuses the eviction
    Fails with: /was refused: HTTP 429/
    Fails with: /disruption budget/
    When the manifest "fixtures/lab/echo.yaml" is applied
    And the manifest "fixtures/lab/actions-pdb.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And evicting a pod of deployment "echo" is allowed

  # Traffic cuts

  Scenario: traffic to a Deployment that does not exist cannot be cut
    Fails with: /HTTP 404: deployments.apps "kubeproof-nothing" not found/
    When the manifest "fixtures/lab/actions-client.yaml" is applied
    And traffic from deployment "client" to deployment "kubeproof-nothing" is cut for 10s

  Scenario: while traffic is cut the source does not reach the target
    Fails with: /`curl -sS -m 2 http:\/\/echo\/` to exit 0 in a pod of deployment client/
    Fails with: /exit (7|28) in pod client-/
    When the manifest "fixtures/lab/echo.yaml" is applied
    And the manifest "fixtures/lab/actions-client.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And deployment "client" rolls out with 1 ready replica within 1m
    And running "curl -sS -m 2 http://echo/" in a pod of deployment "client" succeeds within 30s
    When traffic from deployment "client" to deployment "echo" is cut for 1m
    Then running "curl -sS -m 2 http://echo/" in a pod of deployment "client" succeeds within 15s

  # Teardown

  Scenario: a namespace that is not being deleted is not gone
    Fails with: /namespace default to be gone/
    Fails with: /phase Active, not being deleted/
    Then the namespace "default" is gone within 2s

  Scenario: a namespace never seen is no proof of a teardown
    Fails with: /namespace kubeproof-no-such-namespace does not exist and this scenario never saw it/
    Then the namespace "kubeproof-no-such-namespace" is gone within 5s

  Scenario: a namespace that does not exist cannot be deleted
    Fails with: /namespace kubeproof-no-such-namespace does not exist/
    When the namespace "kubeproof-no-such-namespace" is deleted

  Scenario: objects that carry the label remain
    Fails with: /objects labelled app=echo remain in namespace kp-\S+/
    Fails with: /Deployment echo/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And no object labelled "app=echo" remains in the namespace

  Scenario: objects that carry the label remain for as long as they are not deleted
    Fails with: /no object labelled app=echo to remain/
    Fails with: /ReplicaSet echo-/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And no object labelled "app=echo" remains in the namespace within 5s

  Scenario: deleting by a label nothing carries
    Fails with: /carries the labels app.kubernetes.io\/part-of=kubeproof-nothing without an owner: nothing to delete/
    When the objects labelled "app.kubernetes.io/part-of=kubeproof-nothing" are deleted

  # Admission

  Scenario: a manifest the API server accepts is not rejected
    Fails with: /accepted every object of fixtures\/lab\/actions-privileged-pod\.yaml/
    Then applying the manifest "fixtures/lab/actions-privileged-pod.yaml" is rejected with "violates PodSecurity"

  Scenario: refused, but for another reason than the one stated
    Fails with: /Pod kp-\S+\/privileged was refused, but not with "exceeded quota"/
    Fails with: /violates PodSecurity/
    When the manifest "fixtures/lab/actions-restricted-namespace.yaml" is applied
    Then applying the manifest "fixtures/lab/actions-privileged-pod.yaml" is rejected with "exceeded quota"

  Scenario: a pod over the quota fails the server-side dry run
    Fails with: /refused 1 of 1 object\(s\) of fixtures\/lab\/actions-too-big-pod\.yaml/
    Fails with: /exceeded quota/
    When the manifest "fixtures/lab/actions-quota.yaml" is applied
    And the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the manifest "fixtures/lab/actions-too-big-pod.yaml" is accepted by a server-side dry run

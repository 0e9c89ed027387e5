# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): each breaks a
# workload on the lab on purpose (fixtures/lab/faults/) and must end failed at
# its last step with a message matching its `Fails with:` lines.
Feature: workload checks fail when the workloads are not what they state

  Background:
    Given a fresh namespace for this scenario

  Scenario: a crashing pod is not Running and Ready
    Fails with: /crasher/
    Fails with: /CrashLoopBackOff|Error|not Ready/
    When the manifest "fixtures/lab/faults/crasher.yaml" is applied
    Then all pods in the namespace are Running and Ready within 15s

  Scenario: a crashing Deployment has no Ready pod
    Fails with: /crasher/
    Fails with: /not ready: crasher-\S+ \(/
    When the manifest "fixtures/lab/faults/crasher.yaml" is applied
    Then deployment "crasher" has at least 1 Ready pod within 15s

  Scenario: a crashing Deployment does not roll out
    Fails with: /crasher/
    When the manifest "fixtures/lab/faults/crasher.yaml" is applied
    Then deployment "crasher" rolls out within 15s

  Scenario: an image that cannot be pulled stops the rollout, and the message says why
    Fails with: /echo to roll out/
    Fails with: /not ready: echo-\S+ \((Pending, )?(ErrImagePull|ImagePullBackOff)/
    When the manifest "fixtures/lab/echo.yaml" is applied
    And deployment "echo" rolls out within 30s
    And deployment "echo" is updated to the image "kubeproof.local/no-such-image:1"
    Then deployment "echo" rolls out within 15s

  Scenario: two replicas are not three
    Fails with: /echo to roll out with 3 ready replica/
    Fails with: /spec.replicas is 2, not 3/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 3 ready replicas within 20s

  Scenario: a DaemonSet whose pod crashes does not run a Ready pod per node
    Fails with: /agent/
    When the manifest "fixtures/lab/faults/crashing-daemonset.yaml" is applied
    Then the DaemonSet "agent" runs one Ready pod per node within 15s

  Scenario: pods that do not mount the Secret
    Fails with: /db-credentials/
    When the manifest "fixtures/lab/echo.yaml" is applied
    And the manifest "fixtures/lab/faults/partial-secret.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the pods of deployment "echo" mount the Secret "db-credentials"

  Scenario: a command that prints something else than the pod's name
    Fails with: /someone-else/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And running "echo someone-else" in a pod of deployment "echo" prints that pod's name

  Scenario: a file cannot be written where no directory exists
    Fails with: /\/kubeproof-no-such-dir\/proof/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When a pod of deployment "echo" writes a unique text to "/kubeproof-no-such-dir/proof"

  Scenario: a file in the container's own filesystem does not survive its pod
    Fails with: /\/tmp\/proof/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    When a pod of deployment "echo" writes a unique text to "/tmp/proof"
    And all pods of deployment "echo" are deleted
    Then deployment "echo" has all replicas Ready again within 1m
    And a new pod of deployment "echo" reads the same text from "/tmp/proof"

  Scenario: a Deployment that does not exist has no pod to delete
    Fails with: /HTTP 404: deployments.apps "kubeproof-nothing" not found/
    When one pod of deployment "kubeproof-nothing" is deleted

  Scenario: a replacement that never becomes Ready is no recovery
    Fails with: /ready-once/
    Fails with: /20s/
    When the manifest "fixtures/lab/faults/ready-once.yaml" is applied
    Then deployment "ready-once" rolls out with 1 ready replica within 1m
    When one pod of deployment "ready-once" is deleted
    Then deployment "ready-once" has all replicas Ready again within 20s

  Scenario: a Deployment that does not exist cannot be stopped
    Fails with: /HTTP 404: deployments.apps "kubeproof-nothing" not found/
    When deployment "kubeproof-nothing" is stopped: scaled to 0 replicas

  Scenario: a Deployment that was not stopped cannot be started again
    Fails with: /echo was not stopped/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" is started again

@lab
Feature: Workload actions on the lab
  Scaling, image updates, restarts and rollbacks, requests in the background while they
  happen, commands in pods, evictions under PodDisruptionBudgets, a temporary network
  partition, teardown and admission: each step passes where the platform is right.

  Background:
    Given a fresh namespace for this scenario

  Scenario: A Deployment scaled out and in has exactly that many Ready pods
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    When deployment "echo" is scaled to 3 replicas
    Then deployment "echo" has exactly 3 Ready pods within 1m
    When deployment "echo" is scaled to 1 replica
    Then deployment "echo" has exactly 1 Ready pod within 1m

  Scenario: An image update rolls out without a failed request, and a rollback brings the old image back
    When the manifest "fixtures/lab/actions-web.yaml" is applied
    Then deployment "web" rolls out with 2 ready replicas within 2m
    And running "node --version" in a pod of deployment "web" prints "v24"
    When the probe requests "http://web/" every 200ms in the background
    And deployment "web" is updated to the image "kubeproof.local/probe:bookworm-1"
    Then deployment "web" rolls out with 2 ready replicas within 2m
    And running "command -v node" in a pod of deployment "web" fails
    When deployment "web" is rolled back
    Then deployment "web" rolls out with 2 ready replicas within 2m
    And running "node --version" in a pod of deployment "web" succeeds within 30s
    And every background request succeeded

  Scenario: The image of a named container is updated
    When the manifest "fixtures/lab/actions-web.yaml" is applied
    Then deployment "web" rolls out with 2 ready replicas within 2m
    When deployment "web" is updated to the image "kubeproof.local/probe:bookworm-1" in its container "web"
    Then deployment "web" rolls out with 2 ready replicas within 2m
    And running "command -v socat" in a pod of deployment "web" prints "socat"

  Scenario: A restart replaces every pod while the service keeps answering
    When the manifest "fixtures/lab/actions-web.yaml" is applied
    Then deployment "web" rolls out with 2 ready replicas within 2m
    When the probe requests "http://web/" every 250ms in the background
    And deployment "web" is restarted
    Then deployment "web" rolls out with 2 ready replicas within 2m
    And the background requests succeeded at least 95 percent of the time

  Scenario: Commands in a pod succeed, print and fail as they should
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And running "test -d /app" in a pod of deployment "echo" succeeds within 30s
    And running "cat /etc/os-release" in a pod of deployment "echo" prints "Debian"
    And running "ls /kubeproof-no-such-dir" in a pod of deployment "echo" fails

  Scenario: A PodDisruptionBudget refuses an eviction that would break it
    When the manifest "fixtures/lab/echo.yaml" is applied
    And the manifest "fixtures/lab/actions-pdb.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And evicting a pod of deployment "echo" is refused

  Scenario: A PodDisruptionBudget with room allows one eviction, and the pod is replaced
    When the manifest "fixtures/lab/echo.yaml" is applied
    And the manifest "fixtures/lab/actions-pdb-allow-one.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And evicting a pod of deployment "echo" is allowed
    And deployment "echo" has exactly 2 Ready pods within 1m

  Scenario: Traffic from one workload to another is cut for a while; other pods still get through
    When the manifest "fixtures/lab/echo.yaml" is applied
    And the manifest "fixtures/lab/actions-client.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And deployment "client" rolls out with 1 ready replica within 2m
    And running "curl -sS -m 2 http://echo/" in a pod of deployment "client" succeeds within 30s
    When the probe requests "http://echo/" every 500ms in the background
    And traffic from deployment "client" to deployment "echo" is cut for 20s
    Then running "curl -sS -m 2 http://echo/" in a pod of deployment "client" fails within 15s
    And running "curl -sS -m 2 http://echo/" in a pod of deployment "client" succeeds within 1m
    And every background request succeeded

  Scenario: Objects deleted by their label leave nothing behind
    When the manifest "fixtures/lab/actions-teardown.yaml" is applied
    Then deployment "teardown-app" rolls out with 1 ready replica within 2m
    When the objects labelled "app.kubernetes.io/part-of=kp-teardown" are deleted
    Then no object labelled "app.kubernetes.io/part-of=kp-teardown" remains in the namespace within 1m
    And no object labelled "app.kubernetes.io/part-of=kp-teardown" remains in the namespace

  Scenario: A deleted namespace is gone
    When the manifest "fixtures/lab/actions-teardown-namespace.yaml" is applied
    And the namespace "kubeproof-lab-teardown" is deleted
    Then the namespace "kubeproof-lab-teardown" is gone within 1m

  Scenario: A ResourceQuota refuses a pod that asks too much; a fitting manifest passes a dry run
    When the manifest "fixtures/lab/actions-quota.yaml" is applied
    And the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And applying the manifest "fixtures/lab/actions-too-big-pod.yaml" is rejected with "exceeded quota"
    And the manifest "fixtures/lab/echo.yaml" is accepted by a server-side dry run

  Scenario: Pod Security "restricted" refuses a privileged pod
    When the manifest "fixtures/lab/actions-restricted-namespace.yaml" is applied
    Then applying the manifest "fixtures/lab/actions-privileged-pod.yaml" is rejected with "violates PodSecurity"

@giia @teardown
Feature: GIIA development cluster — teardown (runs last)
  T052 and T081: the teardown uninstalls every release and deletes the namespace, and nothing of
  the platform is left behind. Runs last, because it removes the platform; the next
  `npm run verify -- --platform giia` sets it up afresh (and measures that setup, 003-40). The
  lab's StorageClass `standard` is cluster infrastructure and stays.

  Background:
    Given the platform namespace `giia-dev`

  Scenario: 003-37 Teardown: every release uninstalled, the namespace deleted
    # The namespace's deletion closes 003-56 below, after the objects the releases leave behind.
    When the Helm release `auth-service` is uninstalled
    And the Helm release `catalog-service` is uninstalled
    And the Helm release `ddmrp-engine-service` is uninstalled
    And the Helm release `execution-service` is uninstalled
    And the Helm release `analytics-service` is uninstalled
    And the Helm release `ai-agent-service` is uninstalled
    And the Helm release `postgresql` is uninstalled
    And the Helm release `redis` is uninstalled
    And the Helm release `nats` is uninstalled
    Then no Helm release remains in the namespace

  Scenario: 003-56 Cleanup leaves no orphaned resources
    # What `helm uninstall` leaves behind: the StatefulSets' PersistentVolumeClaims, and the objects
    # of the kustomize base (shared-config, shared-secrets, NetworkPolicies, Prometheus).
    When the objects labelled `app.kubernetes.io/part-of=giia` are deleted
    Then no object labelled `app.kubernetes.io/part-of=giia` remains in the namespace within 2m
    When the namespace `giia-dev` is deleted
    Then the namespace `giia-dev` is gone within 3m

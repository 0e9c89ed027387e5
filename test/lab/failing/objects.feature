# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): Kubernetes objects on the lab.
Feature: object checks fail when the objects are not what they state

  Background:
    Given a fresh namespace for this scenario

  Scenario: a manifest that does not parse is named, with where it breaks
    Fails with: /fixtures\/lab\/faults\/malformed\.yaml/
    When the manifest "fixtures/lab/faults/malformed.yaml" is applied

  Scenario: an object that does not exist
    Fails with: /kubeproof-no-such-config/
    Then the ConfigMap "kubeproof-no-such-config" exists

  Scenario: a Secret that lacks a key
    Fails with: /password/
    When the manifest "fixtures/lab/faults/partial-secret.yaml" is applied
    Then the Secret "db-credentials" holds the keys "username, password"

  Scenario: a PVC whose StorageClass does not exist is not Bound
    Fails with: /orphan/
    Fails with: /Pending/
    When the manifest "fixtures/lab/faults/pending-pvc.yaml" is applied
    Then PVC "orphan" is Bound within 10s

  Scenario: an event that was never recorded
    Fails with: /KubeproofNoSuchReason/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the Deployment "echo" has recorded a "KubeproofNoSuchReason" event

  Scenario: the platform namespace does not exist
    Fails with: /kubeproof-no-such-namespace/
    Given the platform namespace "kubeproof-no-such-namespace"

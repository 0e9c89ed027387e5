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

  # Objects of any kind (API discovery), labels, fields, conditions, nodes, version, ConfigMaps.

  Scenario: a kind the API server does not serve is named, with the closest kinds it serves
    Fails with: /serves no kind "Deploymnet"/
    Fails with: /closest: Deployment/
    Then the Deploymnet "echo" exists

  Scenario: a cluster-scoped object that does not exist is read without a namespace
    Fails with: /StorageClass kubeproof-no-such-class does not exist/
    Then the StorageClass "kubeproof-no-such-class" exists

  Scenario: a Namespace without the stated label names the labels it has
    Fails with: /Namespace kube-system lacks the label environment=production/
    Fails with: /kubernetes.io\/metadata.name=kube-system/
    Then the Namespace "kube-system" has the label "environment=production"

  Scenario: a custom resource whose label has another value says which
    Fails with: /Widget kp-.*\/gear lacks the label tier=frontend; its label tier is backend/
    When the manifest "fixtures/lab/faults/objects-widget-crd.yaml" is applied
    Then the CustomResourceDefinition "widgets.kubeproof.example" has the condition "Established" within 30s
    When the manifest "fixtures/lab/faults/objects-widget.yaml" is applied
    Then the Widget "gear" exists
    And the Widget "gear" has the label "tier=frontend"

  Scenario: a Deployment without the stated annotation
    Fails with: /Deployment kp-.*\/echo lacks the annotation kubeproof.example\/owner/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then the Deployment "echo" has the annotation "kubeproof.example/owner"

  Scenario: a field that keeps another value times out with the value it last had
    Fails with: /the field \$\.spec\.replicas of Deployment kp-.*\/echo to be "3"/
    Fails with: /last seen .*: \$\.spec\.replicas is 2/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then the field "spec.replicas" of the Deployment "echo" is "3" within 5s

  Scenario: a count that never reaches the bound: a Deployment that is never ready has no ready replicas
    Fails with: /the field \$\.status\.readyReplicas of Deployment kp-.*\/never-ready to be at least 1/
    Fails with: /last seen .*: \$\.status\.readyReplicas is not set/
    When the manifest "fixtures/lab/faults/objects-never-ready.yaml" is applied
    Then the field "$.status.replicas" of the Deployment "never-ready" is "1" within 30s
    And the field "$.status.readyReplicas" of the Deployment "never-ready" is at least 1 within 15s

  Scenario: a field that is not set names what its parent holds
    Fails with: /\$\.spec\.template\.spec\.securityContext\.runAsNonRoot is not set/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then the field "spec.template.spec.securityContext.runAsNonRoot" of the Deployment "echo" is set

  Scenario: a Deployment whose pod is never ready never has the condition Available
    Fails with: /never-ready to have the condition Available=True/
    Fails with: /Available=False \(MinimumReplicasUnavailable/
    When the manifest "fixtures/lab/faults/objects-never-ready.yaml" is applied
    Then the Deployment "never-ready" has the condition "Available" within 20s

  Scenario: a custom resource whose controller reports it not Ready
    Fails with: /Ready=False \(ProvisioningFailed: no capacity left for a size-3 widget\)/
    When the manifest "fixtures/lab/faults/objects-widget-crd.yaml" is applied
    Then the CustomResourceDefinition "widgets.kubeproof.example" has the condition "Established" within 30s
    When the manifest "fixtures/lab/faults/objects-widget.yaml" is applied
    Then the field "spec.size" of the WDG "gear" is "3" within 10s
    And the Widget "gear" has the condition "Ready" within 5s

  Scenario: a single-node cluster does not have two Ready nodes
    Fails with: /at least 2 Ready node\(s\)/
    Fails with: /last seen .*: 1 Ready node\(s\) of 1/
    Then the cluster has at least 2 Ready nodes within 5s

  Scenario: a cluster older than the stated Kubernetes version
    Fails with: /the cluster runs Kubernetes v1\.\d+\.\d+\S*, not at least 1\.99/
    Then the cluster runs Kubernetes at least "1.99"

  Scenario: a ConfigMap that lacks a key names the keys it has
    Fails with: /ConfigMap kube-system\/kube-root-ca.crt lacks kubeproof-missing; it has ca\.crt/
    Given the platform namespace "kube-system"
    Then the ConfigMap "kube-root-ca.crt" holds the keys "ca.crt, kubeproof-missing"

  Scenario: a ConfigMap value other than the stated one
    Fails with: /ConfigMap kp-.*\/app-settings key LOG_LEVEL is "debug", not "info"/
    When the manifest "fixtures/lab/faults/objects-settings.yaml" is applied
    Then the ConfigMap "app-settings" holds the keys "LOG_LEVEL, config.yaml"
    And the ConfigMap "app-settings" key "LOG_LEVEL" is "info"

  Scenario: a ConfigMap value that does not mention the stated text
    Fails with: /key config.yaml does not mention "retention: 24h"; it begins "server:/
    When the manifest "fixtures/lab/faults/objects-settings.yaml" is applied
    Then the ConfigMap "app-settings" key "config.yaml" mentions "retention: 24h"

  Scenario: a credential kept in a ConfigMap is found by its key
    Fails with: /ConfigMap app-settings holds DB_PASSWORD/
    When the manifest "fixtures/lab/faults/objects-settings.yaml" is applied
    Then no ConfigMap in the namespace holds a key like "password|passwd|token|secret"

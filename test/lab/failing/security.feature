# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): RBAC and Pod Security on the lab.
Feature: security checks fail when a ServiceAccount may do more or less than stated, or Pod Security is not enforced

  Background:
    Given a fresh namespace for this scenario

  Scenario: a ServiceAccount that may not do what is stated
    Fails with: /ServiceAccount kp-.*\/discovery cannot delete pods in namespace kp-.*: the API server answered allowed=false/
    When the manifest "fixtures/lab/hygiene-rbac.yaml" is applied
    Then the ServiceAccount "discovery" can list "pods"
    And the ServiceAccount "discovery" can delete "pods"

  Scenario: a ServiceAccount that may do what is stated it cannot, with the binding that allows it
    Fails with: /ServiceAccount kp-.*\/discovery can watch endpointslices.discovery.k8s.io .*allowed=true \(RBAC: allowed by RoleBinding "discovery\/kp-/
    When the manifest "fixtures/lab/hygiene-rbac.yaml" is applied
    Then the ServiceAccount "discovery" cannot delete "pods"
    And the ServiceAccount "discovery" cannot watch "endpointslices.discovery.k8s.io"

  Scenario: "cannot" about a ServiceAccount that does not exist is no pass
    Fails with: /ServiceAccount kp-.*\/dicsovery does not exist/
    When the manifest "fixtures/lab/hygiene-rbac.yaml" is applied
    Then the ServiceAccount "dicsovery" cannot delete "pods"

  Scenario: a ServiceAccount bound to a ClusterRole through a RoleBinding
    Fails with: /ClusterRole view is bound to ServiceAccounts of namespace kp-.*: RoleBinding kp-.*\/dashboard-view → ServiceAccount dashboard/
    When the manifest "fixtures/lab/faults/hygiene-view-binding.yaml" is applied
    Then no ServiceAccount in the namespace is bound to the ClusterRole "cluster-admin"
    And no ServiceAccount in the namespace is bound to the ClusterRole "view"

  Scenario: every ServiceAccount of the namespace bound through its group, cluster-wide
    Fails with: /ClusterRoleBinding kubeproof-view-kp-.* → Group system:serviceaccounts:kp-.* \(every ServiceAccount of kp-/
    When the manifest "fixtures/lab/faults/hygiene-group-binding.yaml" is applied
    Then no ServiceAccount in the namespace is bound to the ClusterRole "view"

  Scenario: a namespace without a Pod Security label enforces nothing
    Fails with: /namespace kp-.* has no pod-security.kubernetes.io\/enforce label/
    Then the namespace enforces the Pod Security level "baseline"

  Scenario: a namespace that enforces baseline, not restricted
    Fails with: /namespace kp-.* enforces the Pod Security level baseline, not restricted/
    When the manifest "fixtures/lab/faults/hygiene-baseline-namespace.yaml" is applied
    Then the namespace enforces the Pod Security level "baseline"
    And the namespace enforces the Pod Security level "restricted"

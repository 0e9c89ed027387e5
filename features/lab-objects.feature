@lab
Feature: Objects of any kind the API server serves
  The object steps resolve a kind through API discovery, so they read built-in kinds
  outside any fixed list, cluster-scoped kinds (without a namespace), aggregated APIs and
  custom resources alike: existence, labels and annotations, a field by JSONPath, a status
  condition, the nodes and the Kubernetes version, and ConfigMap keys and contents.
  These scenarios read the lab's own platform objects (kube-system, the nodes, the
  metrics APIService) and, for workloads and custom resources, objects applied for the test.

  Scenario: Kinds outside the old fixed list exist, namespaced and cluster-scoped
    Given the platform namespace "kube-system"
    Then the Namespace "kube-system" exists
    And the Node "kubeproof-lab" exists
    And the StorageClass "local-path" exists
    And the APIService "v1beta1.metrics.k8s.io" exists
    And the ClusterRole "cluster-admin" exists
    And the ServiceAccount "coredns" exists
    And the ConfigMap "coredns" exists

  Scenario: Labels and annotations of the platform's own objects
    Then the Namespace "kube-system" has the label "kubernetes.io/metadata.name=kube-system"
    And the Node "kubeproof-lab" has the label "kubernetes.io/os=linux"
    And the Node "kubeproof-lab" has the label "kubernetes.io/hostname"
    And the StorageClass "local-path" has the annotation "storageclass.kubernetes.io/is-default-class=true"
    And the ClusterRole "cluster-admin" has the annotation "rbac.authorization.kubernetes.io/autoupdate"

  Scenario: Fields by JSONPath: equal, compared and set, noticed through a watch
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then the field "spec.replicas" of the Deployment "echo" is "2" within 10s
    And the field "$.status.readyReplicas" of the Deployment "echo" is at least 2 within 2m
    And the field `status.conditions[?(@.type=="Available")].status` of the Deployment "echo" is "True" within 1m
    And the field "{.spec.selector.matchLabels}" of the Deployment "echo" is `{"app":"echo"}` within 10s
    And the field "spec.template.spec.containers[0].resources.limits.memory" of the Deployment "echo" is "128Mi" within 10s
    And the field "metadata.labels.app" of the Deployment "echo" is set
    And the field "spec.clusterIP" of the Service "echo" is set
    And the field "volumeBindingMode" of the StorageClass "local-path" is "WaitForFirstConsumer" within 10s
    And the field "provisioner" of the StorageClass "local-path" is "rancher.io/local-path" within 10s

  Scenario: Status conditions of a workload, an aggregated API and the nodes
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then the Deployment "echo" has the condition "Available" within 2m
    And the APIService "v1beta1.metrics.k8s.io" has the condition "Available" within 30s
    And the Node "kubeproof-lab" has the condition "Ready" within 30s

  Scenario: A custom resource is read like any built-in kind
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/faults/objects-widget-crd.yaml" is applied
    Then the CustomResourceDefinition "widgets.kubeproof.example" has the condition "Established" within 30s
    When the manifest "fixtures/lab/faults/objects-widget.yaml" is applied
    Then the Widget "gear" exists
    And the Widget.kubeproof.example "gear" has the label "tier=backend"
    And the field "spec.size" of the Widget "gear" is at least 3 within 10s
    And the field "spec.colour" of the WDG "gear" is "blue" within 10s

  Scenario: The cluster's nodes and Kubernetes version
    Then the cluster has at least 1 Ready node within 1m
    And the cluster has at most 3 Ready nodes within 1m
    And the cluster runs Kubernetes at least "1.28"
    And the cluster runs Kubernetes exactly "1.33"
    And the cluster runs Kubernetes less than "v1.34.0"

  Scenario: ConfigMap keys and contents, and no credentials kept in ConfigMaps
    Given the platform namespace "kube-system"
    Then the ConfigMap "extension-apiserver-authentication" holds the keys "client-ca-file, requestheader-username-headers"
    And the ConfigMap "extension-apiserver-authentication" key "requestheader-username-headers" is `["X-Remote-User"]`
    And the ConfigMap "coredns" key "Corefile" mentions "kubernetes cluster.local"
    And the ConfigMap "kube-root-ca.crt" key "ca.crt" mentions "BEGIN CERTIFICATE"
    And no ConfigMap in the namespace holds a key like "password|passwd|token|secret"

  Scenario: An event of an object is found with the kind resolved through discovery
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    And the Deployment "echo" has recorded a "ScalingReplicaSet" event

@lab @nightly
Feature: Helm releases and charts on the lab
  A release is read from its record in the cluster (the Secrets sh.helm.release.v1.<name>.v<N>,
  no helm binary needed); installs, upgrades, rollbacks, lint and rendering run the Helm CLI
  (lab/components/helm.sh builds it into ~/.cache/kubeproof/bin). The chart is the GIIA platform's
  auth-service chart (seed 003, T027-T033) with the lab's values: the lab's Node.js image stands in
  for the service. Every release a scenario installs is uninstalled at its cleanup.

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/charts/giia-shared.yaml" is applied

  Scenario: Install, upgrade and roll back the auth-service chart
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    Then the Helm release "auth-service" is deployed
    And the Helm release "auth-service" is deployed at chart version "0.1.0"
    And the Helm release "auth-service" has the value "replicaCount" set to "2"
    And the Helm release "auth-service" has the value "ingress.hosts[0].host" set to "auth.giia.local"
    And the Helm release "auth-service" has the value "image.repository" set to "kubeproof.local/node"
    And deployment "auth-service" rolls out with 2 ready replicas within 1m
    When the Helm release "auth-service" is upgraded with the value "replicaCount" set to "3"
    Then the Helm release "auth-service" has the value "replicaCount" set to "3"
    And deployment "auth-service" rolls out with 3 ready replicas within 1m
    When the Helm release "auth-service" is rolled back to revision 1
    Then the Helm release "auth-service" is deployed at chart version "0.1.0"
    And the Helm release "auth-service" has the value "replicaCount" set to "2"

  Scenario: The auth-service chart passes lint and renders objects the API server accepts
    Then the Helm chart "manifests/platforms/giia/charts/auth-service" passes lint
    And the Helm chart "manifests/platforms/giia/charts/auth-service" with the values "values-lab.yaml" renders objects accepted by a server-side dry run

  Scenario: Teardown: an uninstalled release leaves no release record behind
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    Then the Helm release "auth" is deployed
    When the Helm release "auth" is uninstalled
    Then no Helm release remains in the namespace

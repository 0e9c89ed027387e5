@lab @nightly
Feature: Sealed Secrets on the lab: sealed offline, unsealed in the cluster
  The Sealed Secrets controller (github.com/bitnami-labs/sealed-secrets v0.40.0, built from the Go
  module proxy: lab/images/recipes/sealed-secrets-controller.sh) runs in kube-system from upstream's
  controller.yaml (lab/manifests/optional/sealed-secrets.yaml); kubeseal from the same module
  (lab/components/kubeseal.sh) fetches its certificate and seals OFFLINE: no kubeconfig, no cluster
  while sealing. Values are compared by SHA-256 and never shown.

  Background:
    Given the Sealed Secrets controller from "lab/manifests/optional/sealed-secrets.yaml" runs in the cluster
    And a fresh namespace for this scenario

  Scenario: The controller runs and serves its certificate
    Then the Sealed Secrets controller is running

  Scenario: A unique random value sealed offline decrypts to the same data in the cluster
    Then a Secret sealed offline with the controller's certificate decrypts to the same data within 30s

  Scenario: A Secret a team seals offline is unsealed, holds the value and is fresh
    When the Secret in "fixtures/lab/sealed-secrets/greeting-secret.yaml" is sealed offline with the controller's certificate and applied
    Then the SealedSecret "kp-sealed-greeting" is unsealed into the Secret "kp-sealed-greeting" within 30s
    And the Secret "kp-sealed-greeting" holds the keys "greeting"
    And the Secret "kp-sealed-greeting" key "greeting" has the SHA-256 "887b5ed47d8d61b864748b2adc2c9d67a290abb1e49028ccc9e3259a9d4bd373"
    And the Secret "kp-sealed-greeting" changed within the last 1m

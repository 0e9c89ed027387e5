# Must-fail scenarios (test/must-fail.ts, run by lab/nightly.sh): each states a Sealed Secrets fault
# on the lab and must end failed at its last step with a message matching its `Fails with:` lines.
Feature: Sealed Secrets checks fail when sealing, unsealing or the Secret is not what they state

  Background:
    Given the Sealed Secrets controller from "lab/manifests/optional/sealed-secrets.yaml" runs in the cluster
    And a fresh namespace for this scenario

  Scenario: a SealedSecret sealed for another key pair is never unsealed
    Fails with: /SealedSecret kp-\S+\/kp-foreign-key was not unsealed into Secret kp-\S+\/kp-foreign-key within 10s/
    Fails with: /Synced=False "no key could decrypt secret \(greeting\)"/
    Fails with: /ErrUnsealFailed: Failed to unseal: no key could decrypt secret/
    When the manifest "fixtures/lab/faults/sealed-with-foreign-key.yaml" is applied
    Then the SealedSecret "kp-foreign-key" is unsealed into the Secret "kp-foreign-key" within 10s

  Scenario: an unsealed value is not the one whose SHA-256 is stated
    Fails with: /Secret kp-\S+\/kp-sealed-greeting key "greeting" has another value: its SHA-256 begins 887b5ed4…, expected 0{64}/
    When the Secret in "fixtures/lab/sealed-secrets/greeting-secret.yaml" is sealed offline with the controller's certificate and applied
    Then the SealedSecret "kp-sealed-greeting" is unsealed into the Secret "kp-sealed-greeting" within 30s
    And the Secret "kp-sealed-greeting" key "greeting" has the SHA-256 "0000000000000000000000000000000000000000000000000000000000000000"

  Scenario: a Secret written before the bound did not change within it
    Fails with: /Secret kp-\S+\/kp-sealed-greeting last changed [\d.]+s ago \(data written by kubeproof at \S+\), longer ago than the bound 2s/
    When the manifest "fixtures/lab/sealed-secrets/greeting-secret.yaml" is applied
    And the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" has at least 1 Ready pod within 60s
    And the Secret "kp-sealed-greeting" changed within the last 2s

  Scenario: the round trip fails naming a controller that is not installed
    Fails with: /the Sealed Secrets controller kube-system\/kp-not-installed is not installed: Service kube-system\/kp-not-installed does not exist/
    Given the Sealed Secrets controller is "kp-not-installed" in the namespace "kube-system"
    Then a Secret sealed offline with the controller's certificate decrypts to the same data within 10s

  Scenario: a controller that is not installed is not running
    Fails with: /the Sealed Secrets controller kube-system\/kp-not-installed is not installed/
    Given the Sealed Secrets controller is "kp-not-installed" in the namespace "kube-system"
    Then the Sealed Secrets controller is running

  Scenario: a controller name that is no Kubernetes name is refused
    Fails with: /"Sealed_Secrets" is not a Kubernetes name/
    Given the Sealed Secrets controller is "Sealed_Secrets" in the namespace "kube-system"

  Scenario: sealing a file without exactly one Secret is refused
    Fails with: /fixtures\/lab\/echo.yaml holds 0 Secrets; sealing takes exactly one/
    When the Secret in "fixtures/lab/echo.yaml" is sealed offline with the controller's certificate and applied

  Scenario: a manifest that is not a Sealed Secrets controller is not installed as one
    Fails with: /fixtures\/lab\/sealed-secrets\/greeting-secret.yaml is not a Sealed Secrets controller manifest: it needs the CustomResourceDefinition sealedsecrets.bitnami.com/
    Given the Sealed Secrets controller from "fixtures/lab/sealed-secrets/greeting-secret.yaml" runs in the cluster

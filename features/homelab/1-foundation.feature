@homelab
Feature: k3d homelab — Phase 1: foundation
  The roadmap's first phase (seeds/004, "Phase 1: Foundation"): repository and CI skeleton,
  the k3d cluster, the test harness, Sealed Secrets, the tiered CI. On the lab the cluster is
  the kubeproof lab (one node built from package registries, not k3d), and there is no platform
  repository or CI service here: those criteria are not verified, each with its reason. The
  Sealed Secrets controller (lab/manifests/optional/sealed-secrets.yaml) runs in kube-system; the
  homelab's SealedSecret is sealed at deploy time with kubeseal against its certificate.

  Background:
    Given the platform namespace `homelab`

  Scenario: 004-01 `make help` shows the available targets
    Then this cannot be verified here: "the Makefile is in the team's repository, and there is no platform repository here"

  Scenario: 004-02 The GitHub Actions workflow triggers on pull requests and runs a placeholder test
    Then this cannot be verified here: "the workflow files are in the team's repository (not here) and GitHub Actions does not run on this machine"

  Scenario: 004-03 `make cluster-up` / `cluster-down` are idempotent, with the local registry
    Then this cannot be verified here: "k3d runs k3s in Docker: this machine has no Docker engine, and k3s is refused by the Go module proxy (403); the lab is a kubeadm-less single-node cluster with no container registry"

  Scenario: 004-04 GitHub Actions can spin up the cluster in CI
    Then this cannot be verified here: "GitHub Actions runners are a hosted service that does not run on this machine"

  # The lab's first node is the server; lab/nodes.sh's two extra nodes are the agents (lab/platforms/homelab.sh).
  Scenario: 004-05 Multi-node cluster: 1 server and 2 agents
    Then the cluster has exactly 3 Ready nodes within 1m
    And exactly 2 nodes carry the label `kubeproof.dev/extra-node=true`

  Scenario: 004-06 Node labels are applied for affinity testing
    Then exactly 1 node carries the label `hardware/zigbee=true`
    And exactly 1 node carries the label `hardware/usb=true`
    And exactly 1 node carries the label `hardware/nvidia=true`
    And exactly 1 node carries the label `storage/nas=true`

  Scenario: 004-07 A sample test validates that the cluster is running; `make test` runs all tests in CI
    Then the cluster has at least 1 Ready node within 30s
    And the cluster runs Kubernetes at least `1.28`
    And all pods in the namespace are Running and Ready within 2m
    And this cannot be verified here: "`make test` and its run in GitHub Actions belong to the team's repository and CI, neither of which is here; this run is the sample test"

  Scenario: 004-08 The Sealed Secrets controller deploys in the cluster
    Given the Sealed Secrets controller is `sealed-secrets-controller` in the namespace `kube-system`
    Then the Sealed Secrets controller is running

  Scenario: 004-09 Secrets are sealed and unsealed without interaction
    Given the Sealed Secrets controller is `sealed-secrets-controller` in the namespace `kube-system`
    Then a Secret sealed offline with the controller's certificate decrypts to the same data within 30s

  Scenario: 004-10 A sealed secret of the platform decrypts correctly
    Given the Sealed Secrets controller is `sealed-secrets-controller` in the namespace `kube-system`
    Then the SealedSecret `homelab-media` is unsealed into the Secret `homelab-media` within 1m
    And the Secret `homelab-media` holds the keys `api-key`
    And the containers of deployment `sonarr` take their environment from the Secret `homelab-media`
    And deployment `sonarr` has at least 1 Ready pod within 1m

  Scenario: 004-11 The migration path to the External Secrets Operator is documented
    Then this cannot be verified here: "the migration document is in the team's repository, and there is no platform repository here"

  Scenario: 004-12 CI is tiered: PR validation, extended integration on merge, path triggers, nightly at 06:00 UTC
    Then this cannot be verified here: "the workflow files are in the team's repository (not here), and their triggers run in GitHub Actions, which does not run on this machine"

  Scenario: 004-13 PR validation completes in under 6 minutes
    Then this cannot be verified here: "the durations are those of GitHub Actions runs, a hosted service that does not run on this machine"

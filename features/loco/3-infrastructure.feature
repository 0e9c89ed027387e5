@loco
Feature: Lego Loco — Phase 2: infrastructure and deployment
  Cloud provider, infrastructure as code, storage and the CI/CD pipeline
  (roadmap 2.1, 2.2, 2.4). Most of it lives outside any cluster this machine
  can reach: those criteria are not verified, each with its reason. What the
  cluster itself shows — volumes, rollbacks — is verified.

  Background:
    Given the platform namespace `loco`

  Scenario: 002-23 Cloud provider, network architecture and cost estimate (2.1)
    Then this cannot be verified here: "a cloud account (VPC, subnets, load balancers, billing); the lab is a single-node cluster on this machine with no cloud behind it"

  Scenario: 002-24 DNS domain and public SSL certificates (2.1)
    Then this cannot be verified here: "a public DNS zone and an ACME/public CA; no traffic leaves this machine"

  Scenario: 002-25 Terraform/Pulumi provisioning with remote state (2.2)
    Then this cannot be verified here: "infrastructure as code provisions cloud clusters and keeps remote state in a cloud; neither exists here, and there is no platform repository holding the code"

  Scenario: 002-26 Persistent volumes and shared NFS/EFS storage (2.2)
    Then PVC `loco-prometheus-data` is Bound within 1m
    And PVC `data-loco-emulator-0` is Bound within 1m
    And this cannot be verified here: "shared ReadWriteMany storage (NFS/EFS): the lab's only storage class is local-path (ReadWriteOnce on one node); the persistent volumes above are verified"

  Scenario: 002-27 Container registry (GHCR or private)
    Then this cannot be verified here: "the lab has no container registry: images are built locally and imported into containerd"

  Scenario: 002-28 Automated image builds for backend, frontend and emulator
    Then this cannot be verified here: "image builds run in the team's CI, which does not run here (the lab builds its stand-in images with lab/images/build-image.sh)"

  Scenario: 002-29 Helm deployment pipeline and environment-specific configuration
    Then this cannot be verified here: "no Helm chart or deployment pipeline: the lab deploys a kustomize base with a lab overlay, and no CI service runs here"

  Scenario: 002-30 A bad release is rolled back without downtime
    When the probe requests `http://loco-frontend/api/instances/live` every 250ms in the background
    And deployment `loco-backend` is updated to the image `kubeproof.local/loco-backend:missing-release`
    Then the field `status.unavailableReplicas` of the Deployment `loco-backend` is `1` within 1m
    When deployment `loco-backend` is rolled back
    Then deployment `loco-backend` rolls out within 2m
    And every background request succeeded

  Scenario: 002-31 GitOps with Argo CD or Flux and auto-sync
    Then this cannot be verified here: "no Argo CD or Flux and no Git server run on the lab (neither is built for the lab)"

  Scenario: 002-32 GitOps notifications
    Then this cannot be verified here: "GitOps notifications need Argo CD or Flux and a receiver, neither of which runs on the lab"

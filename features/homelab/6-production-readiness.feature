@homelab
Feature: k3d homelab — Phase 6: production readiness
  GitOps with Argo CD, the k3s overlays and the hardware affinity (roadmap 6.1–6.3). No Argo CD
  and no Git server run on the lab, there is no platform repository here, and the production k3s
  cluster with its USB, Zigbee and GPU hardware is not reachable: every criterion is reported
  not verified, each with its reason.

  Background:
    Given the platform namespace `homelab`

  Scenario: 004-52 Argo CD syncs from the repository; health is visible in its UI
    Then this cannot be verified here: "no Argo CD and no Git server run on the lab (Argo CD is on the Go module proxy but its UI assets are not; not built for the lab), and there is no platform repository here"

  Scenario: 004-53 Changes to the repository auto-deploy (auto-sync)
    Then this cannot be verified here: "no Argo CD, no Git server and no platform repository on the lab"

  Scenario: 004-54 `make stack-up` deploys the full stack via Argo CD
    Then this cannot be verified here: "the Makefile is in the team's repository (not here), and it creates a k3d cluster, which needs Docker"

  Scenario: 004-55 CI validates the Argo CD-based deployment
    Then this cannot be verified here: "GitHub Actions does not run on this machine, and there is no Argo CD on the lab"

  Scenario: 004-56 The manifests render correctly for k3s
    Then this cannot be verified here: "the k3s overlays (real NAS class, production key pair) are in the team's repository, not here; the lab renders and applies its own overlay (manifests/platforms/homelab/overlays/lab) on every verify run"

  Scenario: 004-57 The deployment process is documented
    Then this cannot be verified here: "the deployment documentation is in the team's repository, and there is no platform repository here"

  Scenario: 004-58 Pods schedule to the right nodes in k3s
    Then this cannot be verified here: "k3s with its real hardware nodes and the hard affinity of the k3s overlay, which is not in the platform's manifests here; placement by the simulated labels on the k3d-like agents is verified in 004-45"

  Scenario: 004-59 The USB device is accessible in the Home Assistant pod
    Then this cannot be verified here: "the lab has no USB/Zigbee hardware to pass into a pod"

  Scenario: 004-60 The GPU is accessible in the Frigate pod
    Then this cannot be verified here: "the lab has no GPU and no NVIDIA device plugin"

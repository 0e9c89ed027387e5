@streaming
Feature: Streaming prototype — repository deliverables (plan: docs and repo deliverables)
  docs/IMPLEMENTATION_GUIDE.md, monitoring/ manifests, src/ app code,
  scripts/minikube-setup.sh and k8s/overlays/minikube/resource-quotas.yaml.

  Scenario: 000-30 The repository holds the guide, monitoring manifests, app code, setup script and quota overlay
    Then this cannot be verified here: "the streaming team's repository is not available here (no KUBEPROOF_PLATFORM_DIR); kubeproof's stand-in lives in services/streaming-* and manifests/platforms/streaming, which is not the team's deliverable"

@giia
Feature: GIIA development cluster — Phase 1: setup
  T001-T007: the tools, a minikube cluster with the ingress and metrics-server addons, and
  `kubectl get nodes`. On the lab the cluster is the lab itself; its metrics-server and ingress
  controller play the addons' part.

  Background:
    Given the platform namespace `giia-dev`

  Scenario: 003-14 setup-cluster.sh starts a minikube cluster with its addons
    Then the cluster has at least 1 Ready node within 30s
    And this cannot be verified here: "minikube and Docker are not available from the package registries reachable here, and there is no platform repository holding setup-cluster.sh; the lab (a single-node cluster built from package registries) stands in for the minikube cluster"

  Scenario: 003-15 Checkpoint: the cluster runs with ingress and metrics-server
    Then pod metrics for deployment `auth-service` report CPU and memory within 2m
    And the IngressClass `nginx` exists

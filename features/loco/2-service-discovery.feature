@loco
Feature: Lego Loco — Phase 2.3: service discovery migration and its success criteria
  The critical path of the roadmap (2.3, SD-001…SD-028): the backend finds the
  emulator instances through EndpointSlices and serves them live at
  /api/instances/live. Success criteria: discovery latency under 50 ms, 100 %
  instance accuracy, zero downtime, nine instances. kubeproof measures the
  latency itself: the API server's pod events (a watch) against the list
  read back to back.

  Background:
    Given the platform namespace `loco`

  Scenario: 002-12 RBAC for the EndpointSlices API (SD-006, SD-018)
    Then the Role `loco-backend-discovery` exists
    And the field `rules[0].resources[0]` of the Role `loco-backend-discovery` is `endpointslices` within 10s
    And the ServiceAccount `loco-backend` can get `endpointslices.discovery.k8s.io`
    And the ServiceAccount `loco-backend` can watch `endpointslices.discovery.k8s.io`

  # The lab deploys kustomize overlays, not a Helm chart: what is verified is the deployed configuration.
  Scenario: 002-13 The service configuration defaults to EndpointSlice discovery (SD-003, SD-023)
    Then the field `spec.clusterIP` of the Service `loco-emulator` is `None` within 10s
    And the ConfigMap `loco-backend-config` key `EMULATOR_SERVICE` is `loco-emulator`
    And the probe gets JSON from `http://loco-frontend/api/discovery/status` where `$.mode` is `endpointslices` within 30s

  Scenario: 002-14 Unit, frontend and integration tests pass (SD-007, SD-014, SD-027)
    Then this cannot be verified here: "the team's test suites live in its repository, and there is no platform repository here"

  Scenario: 002-15 The /api/instances/live endpoint (SD-009)
    Then the probe gets HTTP 200 from `http://loco-frontend/api/instances/live` within 30s
    And the probe gets JSON from `http://loco-frontend/api/instances/live` where `$.discovery` is `endpointslices` within 10s
    And the probe gets JSON from `http://loco-frontend/api/instances/live` where `$.instances` has at least 1 item within 30s

  Scenario: 002-16 Discovery status and instance state transitions, end to end (SD-012, SD-013, SD-015)
    Then the probe gets JSON from `http://loco-frontend/api/discovery/status` where `$.synced` is `true` within 30s
    When statefulset `loco-emulator` is scaled to 3 replicas
    Then the instance list at `http://loco-backend:3001/api/instances/live` follows the Ready pods of statefulset `loco-emulator` within 2m
    When statefulset `loco-emulator` is scaled to 1 replica
    Then the instance list at `http://loco-backend:3001/api/instances/live` follows the Ready pods of statefulset `loco-emulator` within 1m

  Scenario: 002-17 Prometheus metrics for discovery (SD-020)
    Then a pod of deployment `loco-backend` serves the metric `loco_discovery_latency_seconds_count` on port 9464 at `/metrics`
    And Prometheus has an up target for job `loco-backend` within 1m
    And the PromQL `max(loco_discovery_instances{state="ready"})` is at least 1 within 1m

  Scenario: 002-18 Production canary deployment and validation (SD-024, SD-028)
    Then this cannot be verified here: "a production cluster and its canary rollout: the lab is a single-node cluster on this machine"

  Scenario: 002-19 Pod-based discovery and its mode flag are gone (SD-025, SD-026)
    Then the ServiceAccount `loco-backend` cannot list `pods`
    And no ConfigMap in the namespace holds a key like `DISCOVERY_MODE`
    And running `test -s /app/src/main.ts && ! grep -rqE 'DISCOVERY_MODE|/api/v1/namespaces/[^/]*/pods' /app/src` in a pod of deployment `loco-backend` succeeds within 30s

  Scenario: 002-20 Discovery latency under 50 ms at p95 while scaling 1 → 9 → 1
    Then over scaling statefulset `loco-emulator` from 1 to 9 and back 2 times, the instance list at `http://loco-backend:3001/api/instances/live` reflects each pod within 50ms at p95

  Scenario: 002-21 The instance list is 100 % accurate
    When statefulset `loco-emulator` is scaled to 5 replicas
    Then statefulset `loco-emulator` has exactly 5 Ready pods within 2m
    And the instance list at `http://loco-backend:3001/api/instances/live` follows the Ready pods of statefulset `loco-emulator` within 5s
    When one pod of statefulset `loco-emulator` is deleted
    Then statefulset `loco-emulator` has all replicas Ready again within 1m
    And the instance list at `http://loco-backend:3001/api/instances/live` follows the Ready pods of statefulset `loco-emulator` within 5s

  Scenario: 002-22 Zero downtime while the backend rolls to a new version
    When the probe requests `http://loco-frontend/api/instances/live` every 200ms in the background
    And deployment `loco-backend` is restarted
    Then deployment `loco-backend` rolls out within 2m
    And every background request succeeded

@giia
Feature: GIIA development cluster — Phase 5: all six services
  T040-T051: the auth-service chart copied for catalog, ddmrp-engine, execution, analytics and
  ai-agent, each deployed and reachable at its host. On the lab the five copies run one replica
  each (two cores for every platform) and share the stand-in service image.

  Background:
    Given the platform namespace `giia-dev`

  Scenario: 003-35 All six services are deployed and their pods run
    Then the Helm release `catalog-service` is deployed
    And the Helm release `ddmrp-engine-service` is deployed
    And the Helm release `execution-service` is deployed
    And the Helm release `analytics-service` is deployed
    And the Helm release `ai-agent-service` is deployed
    And deployment `auth-service` has at least 2 Ready pods within 2m
    And deployment `catalog-service` has at least 1 Ready pod within 2m
    And deployment `ddmrp-engine-service` has at least 1 Ready pod within 2m
    And deployment `execution-service` has at least 1 Ready pod within 2m
    And deployment `analytics-service` has at least 1 Ready pod within 2m
    And deployment `ai-agent-service` has at least 1 Ready pod within 2m
    And all pods in the namespace are Running and Ready within 2m

  Scenario: 003-36 Every service answers at its host through the ingress
    Then the ingress answers HTTP 200 for the host `auth.giia.local` at `/health` within 1m
    And the ingress answers HTTP 200 for the host `catalog.giia.local` at `/health` within 1m
    And the ingress answers HTTP 200 for the host `ddmrp.giia.local` at `/health` within 1m
    And the ingress answers HTTP 200 for the host `execution.giia.local` at `/health` within 1m
    And the ingress answers HTTP 200 for the host `analytics.giia.local` at `/health` within 1m
    And the ingress answers HTTP 200 for the host `ai-agent.giia.local` at `/health` within 1m

@lab
Feature: An application's own instance list follows the Ready pods
  A backend that discovers its instances through EndpointSlices (fixtures/lab/discovery.yaml)
  serves them as JSON; kubeproof compares that list with the Ready pods the API server
  reports, and times how long each scale event takes to reach it.

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/discovery.yaml" is applied
    Then deployment "lister" rolls out with 1 ready replica within 2m
    And statefulset "members" has at least 1 Ready pod within 2m

  Scenario: the list names exactly the Ready pods
    Then the instance list at "http://lister/instances" follows the Ready pods of statefulset "members" within 30s

  Scenario: scaling 1 → 3 → 1 reaches the list within a second at p95, and it stays accurate
    Then over scaling statefulset "members" from 1 to 3 and back 1 time, the instance list at "http://lister/instances" reflects each pod within 1s at p95

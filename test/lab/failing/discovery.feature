# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): discovery on the lab.
Feature: discovery checks fail when the instance list does not follow the pods
  Environment: KUBEPROOF_TIMEOUT_ROLLOUT=30s

  Background:
    Given a fresh namespace for this scenario

  Scenario: a list that names an instance that does not exist, and not the Ready pod
    Fails with: /ghost-0/
    Fails with: /Ready but not listed: members-0/
    When the manifest "fixtures/lab/discovery.yaml" is applied
    And the manifest "fixtures/lab/faults/discovery-static-list.yaml" is applied
    Then statefulset "members" has at least 1 Ready pod within 2m
    And deployment "static-list" rolls out with 1 ready replica within 2m
    And the instance list at "http://static-list/instances" follows the Ready pods of statefulset "members" within 5s

  Scenario: a discovery that publishes each change 1.5 s late misses a 500 ms bound
    Fails with: /at p95, over the 500ms bound/
    When the manifest "fixtures/lab/faults/discovery-slow.yaml" is applied
    And the manifest "fixtures/lab/discovery.yaml" is applied
    Then deployment "lister" rolls out with 1 ready replica within 2m
    And statefulset "members" has at least 1 Ready pod within 2m
    And over scaling statefulset "members" from 1 to 2 and back 1 time, the instance list at "http://lister/instances" reflects each pod within 500ms at p95

@m9
Feature: M9 Resilience testing
  Each deleted pod is recreated by Kubernetes and Ready again within 30
  seconds, and the pipeline keeps processing. The report holds each recovery
  timeline (deleted → scheduled → running → Ready).

  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario Outline: A deleted <name> pod is recreated and Ready within 30 seconds
    Then deployment `<name>` has at least 1 Ready pod within 2m
    When one pod of deployment `<name>` is deleted
    Then deployment `<name>` has all replicas Ready again within 30s
    And the PromQL `sum(processor_messages_consumed_total)` increases within 2m

    Examples:
      | name      |
      | producer  |
      | processor |

  Scenario: A deleted Kafka pod is recovered by its StatefulSet and the pipeline resumes
    Then statefulset `kafka` has at least 1 Ready pod within 2m
    When one pod of statefulset `kafka` is deleted
    Then statefulset `kafka` has all replicas Ready again within 30s
    And the PromQL `sum(processor_messages_consumed_total)` increases within 3m

  Scenario: The drill is recorded
    Then a person verifies that "the resilience drill video (≤ 3 min) shows failure, recovery and troubleshooting"

  Scenario: The operator procedures are written
    Then the platform repository has `outputs/operator-procedures.md`

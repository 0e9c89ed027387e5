# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): resource budgets of a namespace on the lab.
Feature: budget checks fail when the namespace's pods ask for, may take or use more than the budget

  Background:
    Given a fresh namespace for this scenario

  Scenario: requests over the budget, naming the largest pods
    Fails with: /the pods in namespace kp-.* request CPU 100m in total, over the 80m budget \(largest: app-/
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And the pods in the namespace request at most 80m CPU and 1Gi memory in total

  Scenario: a container without limits makes the total unbounded
    Fails with: /are limited to CPU unbounded in total, over the 2 budget \(no cpu limit on rooted-.*\/setup, rooted-.*\/rooted\)/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the pods in the namespace request at most 1 CPU and 1Gi memory in total
    And the pods in the namespace are limited to at most 2 CPU and 4Gi memory in total

  Scenario: measured usage over the budget
    Fails with: /used more than their budget over 15s: .*memory peaked at .*Mi, over the 1Mi budget/
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And pod metrics for deployment "app" report CPU and memory within 2m
    And the pods in the namespace use at most 2 CPU and 1Gi memory over 15s
    And the pods in the namespace use at most 2 CPU and 1Mi memory over 15s

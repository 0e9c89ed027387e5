# Must-fail scenarios (test/must-fail.ts): each ends failed at its last step,
# with a message matching its `Fails with:` lines. Real Prometheus on loopback.
Feature: Prometheus checks fail when the platform does not hold what they state

  Scenario: a value that never meets the bound
    Fails with: /sum\(up\)/
    Fails with: /greater than 1000/
    Then the PromQL `sum(up)` is greater than 1000 within 3s

  Scenario: an instant value that is not the stated one
    Fails with: /vector\(1\)/
    Then the PromQL `vector(1)` is equal to 2

  Scenario: no series reaches the bound
    Fails with: /up/
    Then some series of the PromQL `up` is greater than 5 within 3s

  Scenario: a constant does not increase
    Fails with: /vector\(1\)/
    Then the PromQL `vector(1)` increases within 5s

  Scenario: a query with no series never increases, and says so
    Fails with: /kubeproof_no_such_metric/
    Fails with: /no series/
    Then the PromQL `sum(kubeproof_no_such_metric)` increases within 5s

  Scenario: fewer series than required
    Fails with: /at least 100/
    Then the PromQL `up` returns at least 100 series within 3s

  Scenario: a job Prometheus does not scrape has no up target
    Fails with: /no-such-job/
    Then Prometheus has an up target for job `no-such-job` within 3s

  Scenario: a job Prometheus does not scrape has no up target, asked once
    Fails with: /no-such-job/
    Then Prometheus has an up target for job `no-such-job`

  Scenario: no target carries the label
    Fails with: /no-such-label/
    Then Prometheus has an up target labelled `team="no-such-label"` within 3s

  Scenario: a rule that is not loaded
    Fails with: /NoSuchRule/
    Then Prometheus has a rule `NoSuchRule`

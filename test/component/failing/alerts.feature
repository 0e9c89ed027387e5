# Must-fail scenarios (test/must-fail.ts): each ends failed at its last step,
# with a message matching its `Fails with:` lines. Real Prometheus on loopback
# with the rules of test/component/env/prometheus-rules.yml.
Feature: Prometheus alert checks fail when the alert is not in the stated state
  Environment: KUBEPROOF_TIMEOUT_ASSERT=5s

  Scenario: an alert whose condition never holds does not fire
    Fails with: /KubeproofNeverFires to be firing/
    Fails with: /KubeproofNeverFires is inactive/
    Then the Prometheus alert `KubeproofNeverFires` is firing within 3s

  Scenario: an alert without a rule does not fire, and the loaded rules are named
    Fails with: /no alerting rule named "NoSuchAlert" is loaded/
    Fails with: /loaded alerting rules: .*Watchdog/
    Then the Prometheus alert `NoSuchAlert` is firing within 3s

  Scenario: an always-firing alert does not resolve
    Fails with: /Watchdog to stop firing/
    Fails with: /Watchdog is firing/
    Then the Prometheus alert `Watchdog` is firing within 10s
    And the Prometheus alert `Watchdog` resolves within 3s

  Scenario: an alert never seen firing cannot be said to resolve
    Fails with: /KubeproofNeverFires was not seen firing in this scenario and is not firing now/
    Then the Prometheus alert `KubeproofNeverFires` resolves within 3s

  Scenario: a firing alert is not "not firing"
    Fails with: /Prometheus alert Watchdog is firing: \{severity="none"\} firing since/
    Then the Prometheus alert `Watchdog` is not firing

  Scenario: an alert without a rule is not shown "not firing"
    Fails with: /no alerting rule named "NoSuchAlert" is loaded; loaded alerting rules: .*KubeproofNeverFires/
    Then the Prometheus alert `NoSuchAlert` is not firing

  Scenario: an alert whose rule fails to evaluate is not shown "not firing"
    Fails with: /alerting rule KubeproofBrokenRule fails to evaluate/
    Fails with: /many-to-many matching not allowed/
    Then the Prometheus alert `KubeproofBrokenRule` is not firing

  Scenario: an alert whose rule is not evaluated is not shown "not firing"
    Fails with: /alerting rule KubeproofNotEvaluated is not being evaluated/
    Fails with: /never evaluated, every 1y/
    Then the Prometheus alert `KubeproofNotEvaluated` is not firing

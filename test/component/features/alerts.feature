@component
Feature: Prometheus alert checks against a real Prometheus evaluating real rules
  The component Prometheus loads test/component/env/prometheus-rules.yml and
  evaluates it every second: Watchdog always fires, KubeproofFlapping fires
  for 10s of every 20s, KubeproofNeverFires never does.

  Scenario: an alert fires, and one fires and then resolves
    Then the Prometheus alert `Watchdog` is firing within 30s
    And the Prometheus alert `KubeproofFlapping` is firing within 30s
    And the Prometheus alert `KubeproofFlapping` resolves within 30s

  Scenario: alerts whose conditions do not hold are not firing
    Then the Prometheus alert `KubeproofNeverFires` is not firing
    And the Prometheus alert `ProducerStalled` is not firing

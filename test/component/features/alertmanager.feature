@component
Feature: Alertmanager checks against a real Alertmanager notifying the real webhook sink
  The component Prometheus sends its alerts to the component Alertmanager
  (test/component/env/alertmanager.yml), which routes everything to the
  receiver `webhook` (the webhook sink, services/webhook-sink, on loopback)
  and notifies an unchanged firing group again every 5s. Watchdog always
  fires; KubeproofFlapping fires for 10s of every 20s.

  Scenario: Alertmanager is up and holds the always-firing alert
    Then Alertmanager is ready
    And Alertmanager holds the alert `Watchdog` within 30s

  Scenario: the routed receiver is notified of an always-firing alert
    Then the receiver `webhook` is notified of the alert `Watchdog` within 30s

  Scenario: the receiver is notified that a flapping alert fires and then resolves
    Then the receiver `webhook` is notified of the alert `KubeproofFlapping` within 30s
    And the receiver `webhook` is notified that the alert `KubeproofFlapping` resolved within 30s

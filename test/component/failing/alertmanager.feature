# Must-fail scenarios (test/must-fail.ts): each ends failed at its last step,
# with a message matching its `Fails with:` lines. Real Alertmanager and
# webhook sink on loopback (test/component/env/alertmanager.yml: everything to
# receiver `webhook`, severity critical to receiver `critical`).
Feature: Alertmanager checks fail when the alert is not held or not notified

  Scenario: Alertmanager does not hold an alert that never fires, and names what it holds
    Fails with: /Alertmanager to hold the alert KubeproofNeverFires/
    Fails with: /Alertmanager holds no alert named KubeproofNeverFires; it holds: .*Watchdog/
    Then Alertmanager holds the alert `KubeproofNeverFires` within 3s

  Scenario: an alert that never fires is not notified, though the sink is read and receives notifications
    Fails with: /receiver webhook to be notified of the alert KubeproofNeverFires/
    Fails with: /none tells receiver webhook that KubeproofNeverFires is firing/
    Then the receiver `webhook` is notified of the alert `Watchdog` within 30s
    And the receiver `webhook` is notified of the alert `KubeproofNeverFires` within 8s

  Scenario: a receiver the alert is not routed to is not notified of it
    Fails with: /receiver critical to be notified of the alert Watchdog/
    Fails with: /receiver webhook \(\/webhook\): Watchdog firing/
    Then the receiver `critical` is notified of the alert `Watchdog` within 12s

  Scenario: an always-firing alert is not notified as resolved
    Fails with: /receiver webhook to be notified that the alert Watchdog resolved/
    Fails with: /none tells receiver webhook that Watchdog is resolved/
    Then the receiver `webhook` is notified of the alert `Watchdog` within 30s
    And the receiver `webhook` is notified that the alert `Watchdog` resolved within 8s

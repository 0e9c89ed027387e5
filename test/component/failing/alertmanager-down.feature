# Must-fail scenarios (test/must-fail.ts) against addresses where nothing listens.
Feature: an Alertmanager or webhook sink that is down is failed, not skipped
  Environment: KUBEPROOF_ALERTMANAGER_URL=http://127.0.0.1:1
  Environment: KUBEPROOF_WEBHOOK_SINK_URL=http://127.0.0.1:2

  Scenario: Alertmanager is down
    Fails with: /readiness check at alertmanager http:\/\/127\.0\.0\.1:1\/-\/ready failed: ECONNREFUSED/
    Fails with: /check that alertmanager is running and reachable at http:\/\/127\.0\.0\.1:1/
    Then Alertmanager is ready

  Scenario: an Alertmanager that is down holds no alert
    Fails with: /list alerts at alertmanager http:\/\/127\.0\.0\.1:1\/api\/v2\/alerts.* failed: ECONNREFUSED/
    Then Alertmanager holds the alert `Watchdog` within 5s

  Scenario: a webhook sink that is down shows no notification
    Fails with: /read the received notifications at webhook_sink http:\/\/127\.0\.0\.1:2\/notifications failed: ECONNREFUSED/
    Then the receiver `webhook` is notified of the alert `Watchdog` within 5s

@loco
Feature: Lego Loco — Phase 6 features and the roadmap's success criteria
  The input proxy, other streaming protocols and stream quality (roadmap 6),
  and the technical and business success criteria: uptime, API response
  time, vulnerabilities, production and CI/CD, documentation.

  Background:
    Given the platform namespace `loco`

  Scenario: 002-83 Go WebSocket input proxy (QMP forwarding)
    Then this cannot be verified here: "the input proxy forwards input to QEMU's monitor (QMP); the lab runs a stand-in emulator without QEMU (nine QEMU emulators exceed its two cores), and no input proxy is built"

  Scenario: 002-84 Sunshine / Parsec streaming
    Then this cannot be verified here: "proprietary streaming hosts that need a GPU"

  Scenario: 002-85 Adaptive quality, WebRTC statistics and quality alerts
    Then this cannot be verified here: "WebRTC and adaptive quality belong to the real emulator's streaming stack; the stand-in streams fixed-size frames over HTTP"

  Scenario: 002-86 Availability of at least 99.9 % over a window of restarts and deletions
    When the probe requests `http://loco-frontend/api/instances/live` every 250ms in the background
    And deployment `loco-frontend` is restarted
    Then deployment `loco-frontend` rolls out within 2m
    When deployment `loco-backend` is restarted
    Then deployment `loco-backend` rolls out within 2m
    When one pod of statefulset `loco-emulator` is deleted
    Then statefulset `loco-emulator` has all replicas Ready again within 1m
    And the background requests succeeded at least 99.9 percent of the time

  Scenario: 002-87 API response time under 100 ms at p95
    When the k6 script `fixtures/loco/players.js` loads the Service `loco-frontend` port 80 in the background for 1m
    Then the background load runs to its end
    And the PromQL `histogram_quantile(0.95, sum by (le) (rate(loco_backend_http_request_duration_seconds_bucket{route="/api/instances/live"}[2m])))` is less than 0.1

  Scenario: 002-88 Zero critical or high vulnerabilities
    Then this cannot be verified here: "needs a vulnerability scanner and its database, which this machine cannot fetch"

  Scenario: 002-89 Production deployment completed
    Then this cannot be verified here: "a production cluster: the lab is a single-node cluster on this machine"

  Scenario: 002-90 Automated CI/CD pipeline operational
    Then this cannot be verified here: "a CI service and its workflows: none runs here, and there is no platform repository"

  Scenario: 002-91 Documentation complete and up to date
    Then this cannot be verified here: "the documentation lives in the team's repository, and there is no platform repository here"

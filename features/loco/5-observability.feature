@loco
Feature: Lego Loco — Phase 4: observability
  Metrics, logging, tracing and alerting (roadmap 4.1–4.3): Prometheus with
  persistent storage scrapes every service, the platform's alert rules fire
  when an instance is missing, Loki holds the services' structured logs.

  Background:
    Given the platform namespace `loco`

  Scenario: 002-51 Prometheus Operator with ServiceMonitors
    Then this cannot be verified here: "no Prometheus Operator runs on the lab (buildable from the Go module proxy, not built for the lab); the platform's Prometheus discovers its targets from pod annotations instead, verified in 002-17 and 002-55"

  Scenario: 002-52 Prometheus keeps its data on a persistent volume across a restart
    Then PVC `loco-prometheus-data` is Bound within 1m
    And the PromQL `count_over_time(up{job="prometheus"}[1h])` is greater than 30 within 3m
    When one pod of deployment `loco-prometheus` is deleted
    Then deployment `loco-prometheus` has all replicas Ready again within 1m
    And the PromQL `count_over_time(up{job="prometheus"}[1h])` is greater than 30 within 30s

  Scenario: 002-53 Dashboards for emulator health, node metrics, application performance and discovery
    Then every panel of the platform's dashboard `Lego Loco Emulator Health` shows a value greater than 0
    And every panel of the platform's dashboard `Lego Loco Application Performance` shows a value greater than 0
    And every panel of the platform's dashboard `Lego Loco Service Discovery` shows a value greater than 0
    And this cannot be verified here: "the node metrics dashboard needs node-exporter, which the lab does not run; the other three dashboards' panels are evaluated above"

  Scenario: 002-54 The dashboards are present in Grafana
    Then Grafana has a dashboard titled `Lego Loco Service Discovery`

  Scenario: 002-55 Custom metrics: frame rate, stream quality, discovery, connections
    Then a pod of statefulset `loco-emulator` serves the metric `loco_emulator_frame_rate` on port 9464 at `/metrics`
    And a pod of statefulset `loco-emulator` serves the metric `loco_emulator_stream_bytes_total` on port 9464 at `/metrics`
    And a pod of deployment `loco-backend` serves the metric `loco_discovery_instances` on port 9464 at `/metrics`
    And a pod of deployment `loco-backend` serves the metric `loco_backend_emulator_connections` on port 9464 at `/metrics`
    And the PromQL `loco_emulator_frame_rate` returns at least 1 series within 1m

  Scenario: 002-56 Loki aggregates the platform's logs
    Then Loki has label `app` with value `loco-emulator` within 2m
    And the LogQL `{namespace="loco", app="loco-backend"}` returns at least 1 line within 2m

  Scenario: 002-57 Log retention is set
    Then the Loki setting `limits_config.retention_period` is `1w`
    And the Loki setting `compactor.retention_enabled` is `true`

  Scenario: 002-58 Structured logging with context
    Then the LogQL `{app="loco-backend"} | json | level="info" | instance=~"loco-backend-.+"` returns at least 1 line within 2m
    And the LogQL `{app="loco-emulator"} | json | msg="emulator streaming"` returns at least 1 line within 2m

  Scenario: 002-59 Requests carry correlation IDs through frontend and backend
    Then the probe gets HTTP 200 from `http://loco-frontend/api/instances/live` with the header `X-Request-ID: kubeproof-loco-correlation-check` within 30s
    And the LogQL `{app="loco-backend"} | json | requestId="kubeproof-loco-correlation-check"` returns at least 1 line within 1m

  Scenario: 002-60 Log queries for common issues and log sampling
    Then this cannot be verified here: "saved log queries and sampling rules belong in the team's repository or Grafana, and there is neither here"

  Scenario: 002-61 Log-based alerts
    Then this cannot be verified here: "log-based alerts need Loki's ruler with an Alertmanager; the stand-in Lego Loco manifests here run Loki without its ruler and deploy no Alertmanager"

  Scenario: 002-62 Distributed tracing with OpenTelemetry/Jaeger
    Then this cannot be verified here: "no Jaeger or OpenTelemetry collector runs on the lab (buildable from the Go module proxy, not built for the lab), and the stand-in services emit no traces"

  Scenario: 002-63 Alertmanager is set up
    Then this cannot be verified here: "the stand-in Lego Loco manifests here deploy no Alertmanager (the lab has one: the streaming and homelab platforms route their alerts through it); the alerts themselves fire in Prometheus (002-64)"

  Scenario: 002-64 Critical alerts fire: no emulator instance left
    Then the Prometheus alert `LocoNoEmulatorInstances` is not firing
    When statefulset `loco-emulator` is scaled to 0 replicas
    Then the Prometheus alert `LocoNoEmulatorInstances` is firing within 2m
    When statefulset `loco-emulator` is scaled to 1 replica
    Then the Prometheus alert `LocoNoEmulatorInstances` resolves within 2m

  Scenario: 002-65 Slack / PagerDuty notification channels
    Then this cannot be verified here: "external SaaS (Slack, PagerDuty) that no traffic from this machine reaches"

  Scenario: 002-66 On-call procedures are defined
    Then this cannot be verified here: "on-call procedures are documents of the team's repository, and there is no platform repository here"

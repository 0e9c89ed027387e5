@streaming
Feature: Streaming prototype — Grafana, datasources and dashboards (plan phases 4–5, checklist step 5)
  Grafana with the Prometheus and Loki datasources provisioned from a ConfigMap, and
  focused dashboards (app health, stream throughput, pod resources, log errors) kept
  in ConfigMaps. No Grafana server can be built here: what Grafana would load is read
  from the cluster and every panel's query is evaluated against Prometheus and Loki;
  what only the Grafana server can show is not verified, with that reason.

  Background:
    Given the platform namespace `streaming`

  Scenario: 000-15 Grafana with provisioned Prometheus and Loki datasources
    Then the ConfigMap `grafana-datasources` key `datasources.yaml` mentions `http://prometheus:9090`
    And the ConfigMap `grafana-datasources` key `datasources.yaml` mentions `http://loki:3100`
    And Grafana's `Prometheus` datasource in ConfigMap `grafana-datasources` answers from a pod labelled like Service `grafana`
    And Grafana's `Loki` datasource in ConfigMap `grafana-datasources` answers from a pod labelled like Service `grafana`
    And Grafana shows the `Prometheus` datasource as connected

  Scenario: 000-16 The dashboards' panel queries return data
    When the k6 script `fixtures/streaming/browse.js` loads the Service `streaming-frontend` port 8080 in the background for 45s
    And the background load runs to its end
    And the probe gets HTTP 500 from `http://streaming-index:8080/api/fail` within 30s
    And the LogQL `{namespace="streaming"} | json | level="error"` returns at least 1 line within 1m
    Then every panel of the platform's dashboard `Streaming App Health` shows a value greater than 0
    And every panel of the platform's dashboard `Streaming Throughput` shows a value greater than 0
    And every panel of the platform's dashboard `Streaming Pod Resources` shows a value greater than 0
    And every panel of the platform's dashboard `Streaming Log Errors` shows a value greater than 0

  Scenario: 000-17 The dashboards are present in Grafana
    Then the dashboard ConfigMap `grafana-dashboards` holds a dashboard titled `Streaming App Health` with 3 panels
    And the dashboard ConfigMap `grafana-dashboards` holds a dashboard titled `Streaming Throughput` with 3 panels
    And the dashboard ConfigMap `grafana-dashboards` holds a dashboard titled `Streaming Pod Resources` with 2 panels
    And the dashboard ConfigMap `grafana-dashboards` holds a dashboard titled `Streaming Log Errors` with 2 panels
    And Grafana has a dashboard titled `Streaming App Health`

  Scenario: 000-32 Dashboards and datasources are kept in ConfigMaps
    Then the ConfigMap `grafana-datasources` holds the keys `datasources.yaml`
    And the ConfigMap `grafana-dashboards` holds the keys `streaming-app-health.json, streaming-throughput.json, streaming-pod-resources.json, streaming-log-errors.json`
    And the ConfigMap `grafana-dashboard-provider` key `streaming.yaml` mentions `/var/lib/grafana/dashboards/streaming`

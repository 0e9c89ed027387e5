@streaming
Feature: Streaming prototype — the application (plan phase 3, checklist step 2)
  A metadata/index service and a streamer, instrumented with /metrics, a lightweight
  static frontend, structured JSON logs on stdout, Deployments and Services with
  minimal requests and limits, single instance each.

  Background:
    Given the platform namespace `streaming`

  Scenario: 000-02 Single instance, minimal replicas
    Then deployment `streaming-index` rolls out with 1 ready replica within 2m
    And deployment `streaming-streamer` rolls out with 1 ready replica within 2m
    And deployment `streaming-frontend` rolls out with 1 ready replica within 2m
    And deployment `prometheus` rolls out with 1 ready replica within 2m
    And deployment `loki` rolls out with 1 ready replica within 2m
    And the field `spec.replicas` of the Deployment `streaming-index` is `1` within 10s

  Scenario: 000-08 The index and streamer services are instrumented with /metrics
    Then a pod of deployment `streaming-index` serves the metric `http_requests_total` on port 8080 at `/metrics`
    And a pod of deployment `streaming-index` serves the metric `http_request_duration_seconds_bucket` on port 8080 at `/metrics`
    And a pod of deployment `streaming-streamer` serves the metric `streamer_bytes_sent_total` on port 8080 at `/metrics`
    And a pod of deployment `streaming-streamer` serves the metric `http_request_duration_seconds_bucket` on port 8080 at `/metrics`

  Scenario: 000-09 The static frontend serves the page and the catalogue behind it
    Then the probe gets HTTP 200 from `http://streaming-frontend:8080/` within 1m
    And the probe gets JSON from `http://streaming-frontend:8080/api/items` where `$.items` has at least 3 items within 30s

  Scenario: 000-10 Small images (alpine / scratch)
    Then this cannot be verified here: "kubeproof has no step that reads image sizes yet (the lab's service images are Debian + Node.js, about 300 MB unpacked; the plan's alpine/scratch images need Docker builds)"

  Scenario: 000-11 Structured JSON logs on stdout
    When the probe gets HTTP 200 from `http://streaming-index:8080/api/items` within 30s
    Then the LogQL `{namespace="streaming", container="streaming-index"} | json | route="/api/items"` returns at least 1 line within 1m
    And the LogQL `{namespace="streaming", container=~"streaming-.+"}` returns at least 1 line within 1m
    And the LogQL `{namespace="streaming", container=~"streaming-.+"} | json | __error__!=""` returns fewer than 1 line within 5s

  Scenario: 000-12 Deployments and Services with minimal requests and limits
    Then the Deployment `streaming-index` exists
    And the Service `streaming-index` exists
    And the Deployment `streaming-streamer` exists
    And the Service `streaming-streamer` exists
    And the Deployment `streaming-frontend` exists
    And the Service `streaming-frontend` exists
    And every container in the namespace sets CPU and memory requests and limits

  Scenario: 000-26 Smoke test: the app answers 200, streams ranges and exposes /metrics
    Then the probe gets HTTP 200 from `http://streaming-index:8080/api/items` within 30s
    And the probe gets JSON from `http://streaming-index:8080/api/items/sintel` where `$.title` is `Sintel` within 30s
    And the probe gets HTTP 200 when sending HEAD to `http://streaming-streamer:8080/stream/sintel` within 30s
    And the probe gets HTTP 206 from `http://streaming-streamer:8080/stream/sintel` with the header `Range: bytes=0-15` within 30s
    And the probe gets HTTP 416 from `http://streaming-streamer:8080/stream/sintel` with the header `Range: bytes=999999999-` within 30s
    And the probe gets HTTP 200 from `http://streaming-frontend:8080/` within 30s
    And a pod of deployment `streaming-index` serves Prometheus metrics on port 8080 at `/metrics`
    And a pod of deployment `streaming-streamer` serves Prometheus metrics on port 8080 at `/metrics`
    And a pod of deployment `streaming-frontend` serves Prometheus metrics on port 8080 at `/metrics`

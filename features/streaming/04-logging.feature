@streaming
Feature: Streaming prototype — Loki and Promtail (plan phase 4, checklist step 4, phase 6)
  A single Loki plus a Promtail DaemonSet selecting the namespace's containers, local
  hostPath storage, and log retention and compaction reduced.

  Background:
    Given the platform namespace `streaming`

  Scenario: 000-03 Local hostPath storage
    Then PVC `loki-data` is Bound within 1m
    And PVC `prometheus-data` is Bound within 1m
    And the field `spec.storageClassName` of the PersistentVolumeClaim `loki-data` is `local-path` within 10s
    And the field `provisioner` of the StorageClass `local-path` is `rancher.io/local-path` within 10s

  Scenario: 000-14 A single Loki and a Promtail DaemonSet with namespace and container selectors
    Then deployment `loki` rolls out with 1 ready replica within 2m
    And the DaemonSet `promtail` runs one Ready pod per node within 1m
    And the ServiceAccount `promtail` can `list` `pods`
    And Loki has label `namespace` with value `streaming` within 1m
    And Loki has label `container` with value `streaming-index` within 1m
    And Loki has label `container` with value `streaming-streamer` within 1m
    And the LogQL `{namespace="streaming"}` returns at least 1 line within 1m
    And the LogQL `{namespace=~".+", namespace!="streaming"}` returns fewer than 1 line within 5s

  Scenario: 000-22 Log retention and compaction reduced
    Then the Loki setting `limits_config.retention_period` is `24h`
    And the Loki setting `compactor.retention_enabled` is `true`
    And the Loki setting `compactor.compaction_interval` is `10m`

  Scenario: 000-29 Logs are visible through Loki
    When the probe gets HTTP 200 from `http://streaming-frontend:8080/api/items` within 30s
    And the probe gets HTTP 206 from `http://streaming-streamer:8080/stream/sintel` with the header `Range: bytes=0-15` within 30s
    Then the LogQL `{namespace="streaming", container="streaming-frontend"} | json | route="/api/*"` returns at least 1 line within 1m
    And the LogQL `{namespace="streaming", container="streaming-index"} | json | msg="request"` returns at least 1 line within 1m
    And the LogQL `{namespace="streaming", container="streaming-streamer"} | json | status="206"` returns at least 1 line within 1m

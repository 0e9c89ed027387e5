@m5
Feature: M5 Centralized logging with Loki and Promtail
  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: Loki runs and Promtail runs one pod per node
    Then deployment `loki` has at least 1 Ready pod within 2m
    And the DaemonSet `promtail` runs one Ready pod per node within 2m

  Scenario: Grafana's Loki datasource answers from Grafana's side of the network
    Then Grafana's `Loki` datasource in ConfigMap `grafana-datasources` answers from a pod labelled like Service `grafana`

  Scenario: Grafana shows the Loki datasource as connected
    Then Grafana shows the `Loki` datasource as connected

  Scenario: Logs of the namespace are queryable
    Then the LogQL `{namespace="conveyor-pipeline"}` returns at least 1 line within 2m

  Scenario Outline: Logs are visible from the <app> pods
    Then the LogQL `{namespace="conveyor-pipeline", app="<app>"}` returns at least 1 line within 2m

    Examples:
      | app       |
      | producer  |
      | processor |
      | kafka     |
      | influxdb  |

  Scenario: Logs can be searched for specific content
    Then the LogQL `{namespace="conveyor-pipeline", app="producer"} |= "Speed:"` returns at least 1 line within 2m
    And the LogQL `{namespace="conveyor-pipeline", app="processor"} |= "Writing to InfluxDB"` returns at least 1 line within 2m

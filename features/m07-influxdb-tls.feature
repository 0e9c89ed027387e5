@m7
Feature: M7 TLS for InfluxDB
  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: The certificate is stored as a Secret and mounted by InfluxDB
    Then the Secret `influxdb-tls` holds the keys `tls.crt, tls.key`
    And the pods of statefulset `influxdb` mount the Secret `influxdb-tls`

  Scenario: InfluxDB serves HTTPS
    Then the Service `influxdb` serves TLS on port 8086 for the name `influxdb` with a certificate from the CA in the ConfigMap `influxdb-ca`

  Scenario: The processor writes to InfluxDB over HTTPS without handshake errors
    # Success itself, not a substring: the processor's failure line also says https://.
    # InfluxDB's side: the lines naming the current processor pods (it logs each client's address); a processor
    # replaced while the certificates rolled is not the current one, and a log that never saw the processor proves nothing.
    Then deployment `processor` writes new points to InfluxDB measurement `conveyor_readings` over HTTPS within 1m
    And the logs of deployment `processor` show no `handshake|certificate|x509`
    And the logs of statefulset `influxdb` show no `TLS handshake error` from the pods of deployment `processor`

  Scenario: Data still flows Producer → Kafka → Processor → InfluxDB (HTTPS)
    Then the PromQL `sum(producer_messages_sent_total)` increases within 1m
    And deployment `processor` writes new points to InfluxDB measurement `conveyor_readings` over HTTPS within 2m

  Scenario: Grafana's InfluxDB datasource answers over HTTPS, validated by its CA, from Grafana's side of the network
    Then Grafana's `InfluxDB` datasource in ConfigMap `grafana-datasources` answers over HTTPS from a pod labelled like Service `grafana`

  Scenario: Grafana's InfluxDB datasource connects over HTTPS
    Then Grafana shows the `InfluxDB` datasource as connected

@component
Feature: InfluxDB checks against a real InfluxDB 1.x
  Scenario: the emitter's writes are counted
    Then InfluxDB answers its ping
    And InfluxDB measurement `conveyor_readings` has at least 3 points in the last 1m within 30s
    And the InfluxQL `SHOW DATABASES` returns at least 1 row

  Scenario: points stamped after the step began arrive (the emitter writes one a second)
    Then InfluxDB measurement `conveyor_readings` receives new points within 30s

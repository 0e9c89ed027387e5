@component
Feature: Loki checks against a real Loki receiving pushed log lines
  Loki 3.5 (built from its Go module) runs on 127.0.0.1:13100; the emitter
  pushes a "Speed:" line every second and an ERROR line every tenth.

  Scenario: pushed lines are found by content and label
    Then the LogQL `{app="producer"} |= "Speed:"` returns at least 3 lines within 1m
    And the LogQL `{namespace="conveyor-pipeline", app="producer"} |= "ERROR"` returns at least 1 line within 1m
    And Loki has label `app` with value `producer` within 30s

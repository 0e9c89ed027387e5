# Must-fail scenarios (test/must-fail.ts): real Loki on loopback, fed by the emitter.
Feature: Loki checks fail when the logs do not hold what they state

  Scenario: no line matches
    Fails with: /never-printed-xyzzy/
    Then the LogQL `{app="producer"} |= "never-printed-xyzzy"` returns at least 1 line within 3s

  Scenario: a label value nobody sends
    Fails with: /no-such-app/
    Then Loki has label `app` with value `no-such-app` within 3s

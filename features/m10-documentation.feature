@m10
Feature: M10 Documentation and outputs
  Scenario: The README covers every CA3 addition
    Then the platform repository file `README.md` mentions `Prometheus, Grafana, Loki, load test, TLS, resilience`

  Scenario Outline: The required output <file> is present, not empty, and what its name says
    Then the platform repository has `outputs/<file>`

    Examples:
      | file                    |
      | grafana-dashboard.png   |
      | log-search.png          |
      | hpa-scaling.png         |
      | network-policies.yaml   |
      | tls-config-summary.md   |
      | resilience-drill.mp4    |
      | operator-procedures.md  |

  Scenario: A clean redeploy succeeds and validates
    Then running `./scripts/destroy.sh && ./scripts/deploy.sh` in the platform repository succeeds within 20m
    And running `./scripts/validate.sh` in the platform repository succeeds within 5m

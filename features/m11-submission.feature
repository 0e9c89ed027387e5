@m11
Feature: M11 GitHub submission
  Scenario: No secrets are committed
    Then no secrets are committed to the platform repository

  Scenario: Manifests, scripts and outputs are present
    Then the platform repository has `README.md`
    And the platform repository has `scripts/deploy.sh`
    And the platform repository has `outputs`

  Scenario: The repository renders correctly on GitHub
    Then a person verifies that "the GitHub repository shows the CA3 directory and README.md renders properly"

Feature: The team's platform documents, checked with kubeproof's library and a step of the team's own

  Scenario: the runbook is in the repository and names an on-call rotation
    Then the platform repository has "docs/runbook.md"
    And the runbook "docs/runbook.md" names an on-call rotation

  @must-fail
  Scenario: a runbook that names nobody fails, naming the file
    Then the runbook "docs/draft-runbook.md" names an on-call rotation

# Must-fail scenarios (test/must-fail.ts) on a platform repository that falls
# short: test/fixtures/platform-repo. (Secrets in git history: test/unit/repository.test.ts,
# which builds real git repositories.)
Feature: repository checks fail when the platform repository does not hold what they state
  Environment: KUBEPROOF_PLATFORM_DIR=test/fixtures/platform-repo

  Scenario: a required file is missing
    Fails with: /outputs\/resilience-drill\.mp4/
    Then the platform repository has `outputs/resilience-drill.mp4`

  Scenario: a required output is empty
    Fails with: /outputs\/hpa-scaling\.png/
    Fails with: /empty/
    Then the platform repository has `outputs/hpa-scaling.png`

  Scenario: a PNG that is not a PNG
    Fails with: /grafana-dashboard\.png/
    Fails with: /PNG/
    Then the platform repository has `outputs/grafana-dashboard.png`

  Scenario: the README leaves out what it must cover
    Fails with: /README\.md/
    Fails with: /TLS/
    Then the platform repository file `README.md` mentions `Prometheus, Loki, TLS, resilience`

  Scenario: a manifest without the namespace
    Fails with: /app\.yaml/
    Fails with: /Service\/app/
    Then every manifest under `manifests` in the platform repository references the namespace `conveyor-pipeline`

  Scenario: a script that exits non-zero
    Fails with: /scripts\/fails\.sh exited 3/
    Fails with: /kubectl apply failed/
    Then running `./scripts/fails.sh` in the platform repository succeeds within 10s

  Scenario: a script that succeeds without reporting what it must
    Fails with: /does not contain "5 of 5 checks passed"/
    Then running `./scripts/quiet.sh` in the platform repository reports `5 of 5 checks passed` within 10s

  Scenario: a script that does not finish within the bound
    Fails with: /did not finish within 2s/
    Then running `./scripts/slow.sh` in the platform repository succeeds within 2s

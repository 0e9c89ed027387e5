# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): spec hygiene on the lab.
Feature: spec-hygiene checks fail when containers are not what they state

  Background:
    Given a fresh namespace for this scenario

  Scenario: a container without limits, and an init container without any resources
    Fails with: /deployment rooted: container setup \(init\): no cpu request, cpu limit, memory request, memory limit/
    Fails with: /container rooted: no cpu limit, memory limit \(pod rooted-/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And every container of deployment "rooted" sets CPU and memory requests and limits

  Scenario: namespace-wide, the container without limits is named with its Deployment
    Fails with: /namespace kp-.*: .*container rooted of deployment rooted: no cpu limit, memory limit/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And every container in the namespace sets CPU and memory requests and limits

  Scenario: requests and limits other than stated (compared as numbers: 0.05 is 50m)
    Fails with: /container app: cpu limit is 200m, stated 250m, memory limit is 96Mi, stated 128Mi/
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And the containers of deployment "app" request 0.05 CPU and 48Mi memory and are limited to 250m CPU and 128Mi memory

  Scenario: a container that runs as root: neither declared non-root nor observed so
    Fails with: /deployment rooted runs as root: container setup \(init\): declares neither runAsNonRoot nor runAsUser \(pod rooted-[^)]*\); container rooted: declares neither runAsNonRoot nor runAsUser and `id -u` prints 0 \(root\)/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" run as a non-root user

  Scenario: namespace-wide, the root container is named among the non-root ones
    Fails with: /namespace kp-.* runs as root: .*container rooted of deployment rooted: declares neither runAsNonRoot nor runAsUser and `id -u` prints 0 \(root\)/
    Fails with: /^(?![\s\S]*deployment app)/
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    And the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "app" run as a non-root user
    And every container in the namespace runs as a non-root user

  Scenario: a container without a liveness probe
    Fails with: /deployment rooted: container rooted: no liveness probe/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" have readiness and liveness probes

  Scenario: namespace-wide, containers without probes
    Fails with: /container rooted of deployment rooted: no liveness probe/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And every container in the namespace has readiness and liveness probes

  Scenario: a ConfigMap that exists but the containers do not read
    Fails with: /container rooted: takes nothing from ConfigMap unused-config/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" take their environment from the ConfigMap "rooted-config"
    And the containers of deployment "rooted" take their environment from the ConfigMap "unused-config"

  Scenario: a Secret that does not exist gives no environment
    Fails with: /Secret kp-.*\/platform-secret does not exist/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" take their environment from the Secret "platform-secret"

  Scenario: a variable whose ConfigMap value is not the stated one
    Fails with: /container rooted: MODE is "pods" \(from ConfigMap rooted-config key MODE\), stated "endpoints"/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" have the environment variable "MODE" set to "endpoints"

  Scenario: a variable from a Secret that differs: said, never shown
    Fails with: /API_TOKEN from Secret rooted-secret key token is different from the stated value \(value withheld\)/
    Fails with: /^(?![\s\S]*stale-token-0a17)/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" have the environment variable "API_TOKEN" set to "lab-token-3c9e51"

  Scenario: a variable that is not set at all
    Fails with: /container rooted: has no DISCOVERY_MODE \(env: MODE, API_TOKEN; envFrom: none\)/
    When the manifest "fixtures/lab/faults/hygiene-rooted.yaml" is applied
    Then deployment "rooted" rolls out with 1 ready replica within 2m
    And the containers of deployment "rooted" have the environment variable "DISCOVERY_MODE" set to "endpoints"

  Scenario: a container that restarted
    Fails with: /container hungry of pod oom-once-.* restarted 1 time \(last: OOMKilled \(exit 137/
    When the manifest "fixtures/lab/faults/hygiene-oom-once.yaml" is applied
    Then deployment "oom-once" rolls out with 1 ready replica within 2m
    And no container of deployment "oom-once" has restarted more than 0 times

  Scenario: namespace-wide, the restarted container is named with its Deployment
    Fails with: /container hungry of pod oom-once-.* \(deployment oom-once\) restarted 1 time /
    When the manifest "fixtures/lab/faults/hygiene-oom-once.yaml" is applied
    Then deployment "oom-once" rolls out with 1 ready replica within 2m
    And no container in the namespace has restarted more than 0 times

  Scenario: a container that was OOMKilled
    Fails with: /container hungry of pod oom-once-.* was OOMKilled \(exit 137 at .*; memory limit 80Mi; 1 restart\(s\)\)/
    When the manifest "fixtures/lab/faults/hygiene-oom-once.yaml" is applied
    Then deployment "oom-once" rolls out with 1 ready replica within 2m
    And no container of deployment "oom-once" has been OOMKilled

  Scenario: namespace-wide, the OOMKilled container is found among healthy ones
    Fails with: /namespace kp-.*: container hungry of pod oom-once-.* \(deployment oom-once\) was OOMKilled/
    When the manifest "fixtures/lab/hygiene-app.yaml" is applied
    And the manifest "fixtures/lab/faults/hygiene-oom-once.yaml" is applied
    Then deployment "app" rolls out with 2 ready replicas within 2m
    And deployment "oom-once" rolls out with 1 ready replica within 2m
    And no container of deployment "app" has been OOMKilled
    And no container in the namespace has been OOMKilled

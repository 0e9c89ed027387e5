@giia
Feature: GIIA development cluster — Phase 3: PostgreSQL, Redis and NATS
  T014-T026: PostgreSQL with the six schemas and persistence, Redis standalone with a password
  and persistence, NATS with JetStream, each a Helm release. The charts are the project's own
  (manifests/platforms/giia/charts; Bitnami's and NATS's chart repositories cannot be reached) with
  the plan's values-dev.yaml; the lab's images come from Debian's packages. Passwords come from the
  Secret shared-secrets and never appear in this report.

  Background:
    Given the platform namespace `giia-dev`
    And the PostgreSQL user `giia` with the password in the Secret `shared-secrets` key `DATABASE_PASSWORD`
    And the Redis password in the Secret `shared-secrets` key `REDIS_PASSWORD`

  Scenario: 003-18 PostgreSQL runs
    Then the Helm release `postgresql` is deployed
    And statefulset `postgresql` has at least 1 Ready pod within 2m

  Scenario: 003-19 PostgreSQL answers as giia on giia_dev
    Then PostgreSQL at `postgresql:5432/giia_dev` answers the SQL `SELECT 1` with exactly 1 row within 1m

  Scenario: 003-20 initdb created the six schemas
    Then PostgreSQL at `postgresql:5432/giia_dev` answers the SQL `SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('auth', 'catalog', 'ddmrp', 'execution', 'analytics', 'ai_agent')` with exactly 6 rows within 1m

  Scenario: 003-21 PostgreSQL has a 10Gi volume and its resources
    Then PVC `data-postgresql-0` is Bound within 2m
    And the field `spec.resources.requests.storage` of the PersistentVolumeClaim `data-postgresql-0` is `10Gi` within 10s
    And the containers of statefulset `postgresql` request `250m` CPU and `512Mi` memory and are limited to `1` CPU and `1Gi` memory

  Scenario: 003-22 Redis runs standalone and requires its password
    Then the Helm release `redis` has the value `architecture` set to `standalone`
    And statefulset `redis-master` has at least 1 Ready pod within 2m
    And Redis at `redis-master:6379` answers PING within 30s
    And Redis at `redis-master:6379` refuses unauthenticated commands
    And the containers of statefulset `redis-master` request `100m` CPU and `128Mi` memory and are limited to `500m` CPU and `256Mi` memory

  Scenario: 003-23 Redis keeps its data on a 1Gi volume across a restart
    Then PVC `redis-data-redis-master-0` is Bound within 2m
    And the field `spec.resources.requests.storage` of the PersistentVolumeClaim `redis-data-redis-master-0` is `1Gi` within 10s
    When a unique key is written to Redis at `redis-master:6379`
    And all pods of statefulset `redis-master` are deleted
    Then statefulset `redis-master` has all replicas Ready again within 2m
    And Redis at `redis-master:6379` still holds that key within 1m

  Scenario: 003-24 NATS runs with JetStream
    Then the Helm release `nats` has the value `config.jetstream.enabled` set to `true`
    And statefulset `nats` has at least 1 Ready pod within 2m
    And a message published to the NATS subject `giia.kubeproof.ping` at `nats:4222` is received within 30s
    When 1 message is published to the NATS subject `events.kubeproof` at `nats:4222`
    Then the JetStream stream `EVENTS` at `nats:4222` holds at least 1 message within 30s
    And the containers of statefulset `nats` request `100m` CPU and `256Mi` memory and are limited to `500m` CPU and `512Mi` memory

  Scenario: 003-25 deploy-infrastructure.sh deploys all of it
    Then the Helm release `postgresql` is deployed
    And the Helm release `redis` is deployed
    And the Helm release `nats` is deployed
    And this cannot be verified here: "deploy-infrastructure.sh lives in the team's repository (there is none here) and runs `helm repo add` for repositories this machine cannot reach; lab/platforms/giia.sh installs the same three releases from the project's charts"

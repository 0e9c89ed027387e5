@giia
Feature: GIIA development cluster — Phase 2: namespace and shared configuration
  T008-T013: the namespace, the ConfigMap shared-config and the Secret shared-secrets. On the lab
  the Secret's values are generated per machine (never committed: secrets.env is git-ignored).

  Background:
    Given the platform namespace `giia-dev`

  Scenario: 003-16 shared-config holds the shared settings
    Then the ConfigMap `shared-config` holds the keys `LOG_LEVEL, ENVIRONMENT, NATS_URL, REDIS_URL, DATABASE_HOST, DATABASE_PORT`
    And the ConfigMap `shared-config` key `LOG_LEVEL` is `debug`
    And the ConfigMap `shared-config` key `ENVIRONMENT` is `development`
    And the ConfigMap `shared-config` key `NATS_URL` is `nats://nats.giia-dev.svc.cluster.local:4222`
    And the ConfigMap `shared-config` key `REDIS_URL` is `redis://redis-master.giia-dev.svc.cluster.local:6379`
    And the ConfigMap `shared-config` key `DATABASE_HOST` is `postgresql.giia-dev.svc.cluster.local`
    And the ConfigMap `shared-config` key `DATABASE_PORT` is `5432`

  Scenario: 003-17 shared-secrets holds the credentials
    Then the Secret `shared-secrets` holds the keys `DATABASE_PASSWORD, REDIS_PASSWORD, JWT_SECRET`

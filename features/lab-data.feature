@lab
Feature: Data services answer their own clients: PostgreSQL, Redis and NATS with JetStream
  The platform's data services run from the lab's images (Debian's postgresql-15, redis-server
  and nats-server packages, with the official images' contracts) and are verified through their
  own protocols with maintained clients (pg, ioredis, nats), at their Service's ClusterIP.
  Credentials come from the platform's Secrets and never appear in the report. Persistence is
  shown by data written before a pod is replaced and read back from its successor.

  Background:
    Given a fresh namespace for this scenario

  Scenario: PostgreSQL answers SQL as the user in its Secret, with the schemas its init script made
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    Then PostgreSQL at "postgresql:5432/app" answers the SQL "SELECT 1" with exactly 1 row within 30s
    And PostgreSQL at "postgresql:5432/app" answers the SQL `SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('orders', 'billing', 'audit')` with exactly 3 rows within 10s
    And PostgreSQL at "postgresql:5432/app" answers the SQL `SELECT usename FROM pg_stat_activity WHERE usename = 'app'` with at least 1 row within 10s

  Scenario: PostgreSQL rows outlive the pod that wrote them
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    When the SQL `CREATE TABLE readings (id serial PRIMARY KEY, note text NOT NULL)` is run on PostgreSQL at "postgresql:5432/app"
    And the SQL `INSERT INTO readings (note) VALUES ('before the restart'), ('still here')` is run on PostgreSQL at "postgresql:5432/app"
    Then PostgreSQL at "postgresql:5432/app" answers the SQL "SELECT * FROM readings" with exactly 2 rows within 10s
    When all pods of statefulset "postgresql" are deleted
    Then statefulset "postgresql" has all replicas Ready again within 2m
    And PostgreSQL at "postgresql:5432/app" answers the SQL "SELECT * FROM readings" with exactly 2 rows within 30s

  Scenario: A pg_dump backup restores into another database, and a Secret copies into a new namespace
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    When the SQL `CREATE TABLE orders.placed (id serial PRIMARY KEY, note text NOT NULL); INSERT INTO orders.placed (note) VALUES ('in the backup'), ('also in it')` is run on PostgreSQL at "postgresql:5432/app"
    And the database "app" of statefulset "postgresql" is backed up with pg_dump
    And the SQL "CREATE DATABASE app_restored" is run on PostgreSQL at "postgresql:5432/app"
    And the backup is restored into the database "app_restored" of statefulset "postgresql"
    Then PostgreSQL at "postgresql:5432/app_restored" answers the SQL "SELECT note FROM orders.placed" with exactly 2 rows within 10s
    And PostgreSQL at "postgresql:5432/app_restored" answers the SQL `SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('orders', 'billing', 'audit')` with exactly 3 rows within 10s
    Given the new namespace "kp-lab-new-namespace"
    Then the Secret "postgresql-credentials" is copied into the namespace "kp-lab-new-namespace"

  Scenario: Redis requires its password, and a key outlives the pod
    When the manifest "fixtures/lab/redis.yaml" is applied
    Then statefulset "redis" has at least 1 Ready pod within 2m
    Given the Redis password in the Secret "redis-credentials" key "password"
    Then Redis at "redis:6379" answers PING within 30s
    And Redis at "redis:6379" refuses unauthenticated commands
    # A plain-TCP server that waits for its client: the probe's connect must still see it connect.
    And a pod labelled "app=redis-client" can connect to "redis" port 6379 within 30s
    When a unique key is written to Redis at "redis:6379"
    And all pods of statefulset "redis" are deleted
    Then statefulset "redis" has all replicas Ready again within 2m
    And Redis at "redis:6379" still holds that key within 30s

  Scenario: NATS delivers messages, serves its JetStream API, and a stream keeps what was published
    When the manifest "fixtures/lab/nats.yaml" is applied
    Then statefulset "nats" has at least 1 Ready pod within 2m
    Then a message published to the NATS subject "orders.created" at "nats:4222" is received within 5s
    And a request to the NATS subject "$JS.API.INFO" at "nats:4222" is answered within 5s
    Given the JetStream stream "EVENTS" at "nats:4222" exists or is created for the subjects "events.>"
    When 3 messages are published to the NATS subject "events.test" at "nats:4222"
    Then the JetStream stream "EVENTS" at "nats:4222" holds exactly 3 messages within 10s

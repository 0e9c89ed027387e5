# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): PostgreSQL, Redis and NATS on the lab,
# each broken the way platforms break, and each check must fail naming the component and the fault.
Feature: data service checks fail when the database, cache or broker does not do what is stated

  Background:
    Given a fresh namespace for this scenario

  # PostgreSQL

  Scenario: a query that returns another number of rows than stated
    Fails with: /PostgreSQL at postgresql:5432\/app .* to answer the SQL with exactly 4 row\(s\)/
    Fails with: /last seen .*3 row\(s\) \(SELECT\)/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    Then PostgreSQL at "postgresql:5432/app" answers the SQL `SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('orders', 'billing', 'audit')` with exactly 4 rows within 5s

  Scenario: the Secret's password is not the database's
    Fails with: /PostgreSQL at postgresql:5432\/app: password authentication failed for user "app" \(SQLSTATE 28P01\)/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    And the manifest "fixtures/lab/faults/postgresql-stale-secret.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-client" key "password"
    Then PostgreSQL at "postgresql:5432/app" answers the SQL "SELECT 1" with exactly 1 row within 5s

  Scenario: a database that is down is named
    Fails with: /PostgreSQL at postgresql:5432\/app/
    Fails with: /Service kp-[^ ]*\/postgresql\).*the service is down or has no ready endpoints/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    Then PostgreSQL at "postgresql:5432/app" answers the SQL "SELECT 1" with exactly 1 row within 30s
    When statefulset "postgresql" is scaled to 0 replicas
    Then statefulset "postgresql" has exactly 0 Ready pods within 1m
    Then PostgreSQL at "postgresql:5432/app" answers the SQL "SELECT 1" with exactly 1 row within 5s

  Scenario: SQL the database refuses to run
    Fails with: /PostgreSQL at postgresql:5432\/app \(Service kp-[^ ]*\/postgresql .*\) did not run the SQL INSERT INTO invoices/
    Fails with: /relation "invoices" does not exist \(SQLSTATE 42P01\)/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    When the SQL "INSERT INTO invoices (total) VALUES (42)" is run on PostgreSQL at "postgresql:5432/app"

  Scenario: the Secret named for the PostgreSQL user lacks the key
    Fails with: /Secret kp-[^ ]*\/postgresql-credentials has no key pass \(its keys: password, username\)/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "pass"

  Scenario: a backup of a database that does not exist
    Fails with: /pg_dump of nosuch in pod kp-[^ ]*\/postgresql-0 exited 1: .*database "nosuch" does not exist/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    When the database "nosuch" of statefulset "postgresql" is backed up with pg_dump

  Scenario: a restore into a database that does not exist
    Fails with: /the restore into nosuch in pod kp-[^ ]*\/postgresql-0 exited 2: .*database "nosuch" does not exist/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    When the database "app" of statefulset "postgresql" is backed up with pg_dump
    And the backup is restored into the database "nosuch" of statefulset "postgresql"

  Scenario: a restore stopped by the first SQL error (a view holds on to a table the backup replaces)
    Fails with: /the restore into app_taken in pod kp-[^ ]*\/postgresql-0 exited 3: .*cannot drop table orders.placed because other objects depend on it/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    Then statefulset "postgresql" has at least 1 Ready pod within 2m
    Given the PostgreSQL user "app" with the password in the Secret "postgresql-credentials" key "password"
    When the SQL "CREATE TABLE orders.placed (id serial PRIMARY KEY)" is run on PostgreSQL at "postgresql:5432/app"
    And the database "app" of statefulset "postgresql" is backed up with pg_dump
    And the SQL "CREATE DATABASE app_taken" is run on PostgreSQL at "postgresql:5432/app"
    And the SQL "CREATE SCHEMA orders; CREATE TABLE orders.placed (id int); CREATE VIEW public.placed_view AS SELECT * FROM orders.placed" is run on PostgreSQL at "postgresql:5432/app_taken"
    And the backup is restored into the database "app_taken" of statefulset "postgresql"

  Scenario: a new namespace that exists already
    Fails with: /namespace kube-system exists already .*: a new namespace must not exist before/
    Given the new namespace "kube-system"

  Scenario: a Secret that does not exist cannot be copied
    Fails with: /Secret kp-[^ ]*\/postgresql-backup does not exist, so it cannot be copied into kp-lab-copy-target/
    When the manifest "fixtures/lab/postgresql.yaml" is applied
    And the new namespace "kp-lab-copy-target"
    Then the Secret "postgresql-backup" is copied into the namespace "kp-lab-copy-target"

  # Redis

  Scenario: Redis without a password does not refuse unauthenticated commands
    Fails with: /Redis at redis:6379 answered without a password \(PING → "PONG"; GET kubeproof:auth-probe → \(nil\)\): it does not require authentication/
    When the manifest "fixtures/lab/faults/redis-no-auth.yaml" is applied
    Then deployment "redis" rolls out with 1 ready replica within 2m
    Given the Redis password in the Secret "redis-credentials" key "password"
    Then Redis at "redis:6379" refuses unauthenticated commands

  Scenario: the Secret's password is not the one Redis requires
    Fails with: /Redis at redis:6379 .*with the password from Secret kp-[^ ]*\/redis-client key password\): WRONGPASS/
    When the manifest "fixtures/lab/redis.yaml" is applied
    And the manifest "fixtures/lab/faults/redis-stale-secret.yaml" is applied
    Then statefulset "redis" has at least 1 Ready pod within 2m
    Given the Redis password in the Secret "redis-client" key "password"
    Then Redis at "redis:6379" answers PING within 5s

  Scenario: a Redis without persistence loses the key when its pod is replaced
    Fails with: /Redis at redis:6379 to hold the key kubeproof:key-[^ ]* written .* before/
    Fails with: /→ \(nil\) \(the key is gone\)/
    When the manifest "fixtures/lab/faults/redis-ephemeral.yaml" is applied
    Then deployment "redis" rolls out with 1 ready replica within 2m
    Given the Redis password in the Secret "redis-credentials" key "password"
    When a unique key is written to Redis at "redis:6379"
    And all pods of deployment "redis" are deleted
    Then deployment "redis" has all replicas Ready again within 2m
    And Redis at "redis:6379" still holds that key within 5s

  Scenario: a Redis replica refuses the write
    Fails with: /Redis at redis:6379 did not store kubeproof:key-[^ ]*: SET → \(error\) READONLY/
    When the manifest "fixtures/lab/faults/redis-replica.yaml" is applied
    Then deployment "redis" rolls out with 1 ready replica within 2m
    Given the Redis password in the Secret "redis-credentials" key "password"
    When a unique key is written to Redis at "redis:6379"

  Scenario: the Secret named for the Redis password does not exist
    Fails with: /Secret kp-[^ ]*\/redis-auth does not exist/
    Given the Redis password in the Secret "redis-auth" key "password"

  # NATS and JetStream

  Scenario: NATS that is down is named
    Fails with: /connect to NATS nats \(Service kp-[^ ]*\/nats\) at [0-9.:]+ failed: .*the service is down or has no ready endpoints/
    When the manifest "fixtures/lab/nats.yaml" is applied
    Then statefulset "nats" has at least 1 Ready pod within 2m
    When statefulset "nats" is scaled to 0 replicas
    Then statefulset "nats" has exactly 0 Ready pods within 1m
    Then a message published to the NATS subject "orders.created" at "nats:4222" is received within 5s

  Scenario: publishing to NATS that is down
    Fails with: /connect to NATS nats \(Service kp-[^ ]*\/nats\) at [0-9.:]+ failed: .*refused/
    When the manifest "fixtures/lab/nats.yaml" is applied
    Then statefulset "nats" has at least 1 Ready pod within 2m
    When statefulset "nats" is scaled to 0 replicas
    Then statefulset "nats" has exactly 0 Ready pods within 1m
    When 3 messages are published to the NATS subject "events.test" at "nats:4222"

  Scenario: a subject nobody answers
    Fails with: /no answer to a request on the NATS subject orders.lookup at nats:4222 .*: no responders \(503\)/
    When the manifest "fixtures/lab/nats.yaml" is applied
    Then statefulset "nats" has at least 1 Ready pod within 2m
    Then a request to the NATS subject "orders.lookup" at "nats:4222" is answered within 5s

  Scenario: an empty stream
    Fails with: /JetStream stream EVENTS at NATS nats:4222 to hold at least 1 message\(s\)/
    Fails with: /last seen .*stream EVENTS holds 0 message\(s\)/
    When the manifest "fixtures/lab/nats.yaml" is applied
    Then statefulset "nats" has at least 1 Ready pod within 2m
    Given the JetStream stream "EVENTS" at "nats:4222" exists or is created for the subjects "events.>"
    Then the JetStream stream "EVENTS" at "nats:4222" holds at least 1 message within 5s

  Scenario: NATS without JetStream cannot keep a stream
    Fails with: /NATS at nats:4222 \(Service kp-[^ ]*\/nats .*nats-server 2.9.10\) does not have JetStream enabled/
    When the manifest "fixtures/lab/faults/nats-no-jetstream.yaml" is applied
    Then deployment "nats" rolls out with 1 ready replica within 2m
    Given the JetStream stream "EVENTS" at "nats:4222" exists or is created for the subjects "events.>"

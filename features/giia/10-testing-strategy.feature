@giia
Feature: GIIA development cluster — testing strategy
  The plan's manual, integration and performance tests: persistence across a PostgreSQL restart,
  the services' connections to PostgreSQL, Redis, NATS and each other over gRPC, resource use,
  startup time, concurrent load and health checks.

  Background:
    Given the platform namespace `giia-dev`
    And the PostgreSQL user `giia` with the password in the Secret `shared-secrets` key `DATABASE_PASSWORD`

  Scenario: 003-58 PostgreSQL keeps its data across a pod restart
    When the SQL `CREATE TABLE IF NOT EXISTS auth.kubeproof_persistence (at timestamptz NOT NULL); INSERT INTO auth.kubeproof_persistence VALUES (now())` is run on PostgreSQL at `postgresql:5432/giia_dev`
    And all pods of statefulset `postgresql` are deleted
    Then statefulset `postgresql` has all replicas Ready again within 2m
    And PostgreSQL at `postgresql:5432/giia_dev` answers the SQL `SELECT at FROM auth.kubeproof_persistence WHERE at > now() - interval '10 minutes'` with at least 1 row within 1m

  Scenario: 003-59 auth-service is connected to PostgreSQL and Redis
    Then PostgreSQL at `postgresql:5432/giia_dev` answers the SQL `SELECT pid FROM pg_stat_activity WHERE usename = 'giia' AND application_name = 'auth-service'` with at least 2 rows within 1m
    And running `REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 CLIENT LIST` in a pod of statefulset `redis-master` prints `name=auth-service`

  Scenario: 003-60 catalog-service calls auth-service over gRPC
    Then the probe gets JSON from `http://catalog-service:8082/upstreams` where `$.upstreams[0].status` is `SERVING` within 1m
    And the PromQL `sum(grpc_client_handled_total{job="catalog-service", target="auth-service:9091", grpc_method="Check", grpc_code="OK"})` increases within 1m
    And the PromQL `sum(grpc_server_handled_total{job="auth-service", grpc_service="grpc.health.v1.Health", grpc_method="Check", grpc_code="OK"})` increases within 1m

  Scenario: 003-61 Events published to NATS are persisted in JetStream
    When the probe gets HTTP 202 when sending POST to `http://auth-service:8081/events` within 30s
    Then the JetStream stream `EVENTS` at `nats:4222` holds at least 1 message within 30s
    When all pods of statefulset `nats` are deleted
    Then statefulset `nats` has all replicas Ready again within 2m
    And the JetStream stream `EVENTS` at `nats:4222` holds at least 1 message within 1m

  Scenario: 003-62 The platform stays within the minikube budget (4 CPU, 8 GB)
    Then the pods in the namespace request at most `4` CPU and `8Gi` memory in total
    And the pods in the namespace use at most `4` CPU and `8Gi` memory over 1m

  Scenario: 003-63 Startup: from setup to every service running
    Then the field `data.seconds` of the ConfigMap `giia-setup-timing` is less than 300 within 10s
    And all pods in the namespace are Running and Ready within 2m

  Scenario: 003-64 Concurrent requests to the auth service
    # 1000 concurrent requests scaled to 100 virtual users: the lab's two cores serve every platform and k6.
    When the k6 script `fixtures/giia/auth-concurrent.js` loads the Service `auth-service` port 8081 in the background for 1m
    Then the background load runs to its end
    And the background load sent at least 1000 requests at 10/s or more

  Scenario: 003-65 Health checks pass for every service
    Then the probe gets HTTP 200 from `http://auth-service:8081/health` within 1m
    And the probe gets HTTP 200 from `http://catalog-service:8082/health` within 1m
    And the probe gets HTTP 200 from `http://ddmrp-engine-service:8083/health` within 1m
    And the probe gets HTTP 200 from `http://execution-service:8084/health` within 1m
    And the probe gets HTTP 200 from `http://analytics-service:8085/health` within 1m
    And the probe gets HTTP 200 from `http://ai-agent-service:8086/health` within 1m

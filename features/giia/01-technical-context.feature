@giia
Feature: GIIA development cluster — technical context and design decisions
  The plan's "Technologies & Tools" and "Design Decisions" (seeds/003): Kubernetes 1.28+, Helm 3,
  an NGINX ingress class, PostgreSQL/Redis/NATS from Helm charts, local DNS, one namespace with
  requests and limits, configuration in ConfigMaps and credentials in Secrets, discovery by
  cluster DNS, one ingress controller, a `standard` storage class, rolling updates and probes.
  On the lab the cluster is the lab itself (no minikube), the ingress class `nginx` is served by
  Traefik, and the charts are the project's own (manifests/platforms/giia/charts).

  Background:
    Given the platform namespace `giia-dev`

  Scenario: 003-01 Kubernetes 1.28 or newer
    Then the cluster runs Kubernetes at least `1.28`

  Scenario: 003-02 Helm 3.13 or newer manages the platform
    Then the Helm release `auth-service` is deployed
    And the Helm release `postgresql` is deployed
    And this cannot be verified here: "no step reads the Helm CLI's version; the releases above were installed by the lab's Helm v3.22.0 (HELM_VERSION in lab/pins.env, built by lab/components/helm.sh)"

  Scenario: 003-03 An NGINX ingress controller serves the class nginx
    Then the IngressClass `nginx` exists
    And the ingress answers HTTP 200 for the host `auth.giia.local` at `/health` within 1m

  Scenario: 003-04 Infrastructure from the Bitnami PostgreSQL/Redis and NATS charts
    Then the Helm release `postgresql` is deployed
    And the Helm release `redis` is deployed
    And the Helm release `nats` is deployed
    And this cannot be verified here: "Bitnami's chart repository (charts.bitnami.com), the NATS chart repository and docker.io cannot be reached from this machine, so `helm repo add` and those charts cannot run; the platform installs its own charts (manifests/platforms/giia/charts/postgresql, redis, nats) with the plan's values, checked in 003-18 to 003-24"

  Scenario: 003-05 Local DNS names *.giia.local
    Then this cannot be verified here: "*.giia.local resolve through the developer's /etc/hosts (T038, update-hosts.sh) on the workstation; the lab's CoreDNS has no giia.local zone, and kubeproof reaches those hosts at the ingress controller with the Host header (003-34, 003-36)"

  Scenario: 003-06 One namespace giia-dev, labelled for development and the project
    Then the Namespace `giia-dev` exists
    And the Namespace `giia-dev` has the label `environment=development`
    And the Namespace `giia-dev` has the label `project=giia`

  Scenario: 003-07 Requests and limits on every container
    Then every container in the namespace sets CPU and memory requests and limits

  Scenario: 003-08 Configuration in ConfigMaps, credentials in Secrets
    Then no ConfigMap in the namespace holds a key like `PASSWORD|SECRET|TOKEN`
    And the Secret `shared-secrets` holds the keys `DATABASE_PASSWORD, REDIS_PASSWORD, JWT_SECRET`

  Scenario: 003-09 Services find each other by their cluster DNS names
    Then the probe resolves `auth-service.giia-dev.svc.cluster.local` within 30s
    And the probe gets HTTP 200 from `http://auth-service.giia-dev.svc.cluster.local:8081/health` within 1m

  Scenario: 003-10 One ingress controller routes to every service
    Then the ingress answers HTTP 200 for the host `auth.giia.local` at `/health` within 1m
    And the ingress answers HTTP 200 for the host `catalog.giia.local` at `/health` within 1m

  Scenario: 003-11 Persistent storage from the storage class standard
    Then the StorageClass `standard` exists
    And PVC `data-postgresql-0` is Bound within 2m
    And the field `spec.storageClassName` of the PersistentVolumeClaim `data-postgresql-0` is `standard` within 10s

  Scenario: 003-12 Rolling updates with maxUnavailable 1 and maxSurge 1
    Then the field `spec.strategy.type` of the Deployment `auth-service` is `RollingUpdate` within 10s
    And the field `spec.strategy.rollingUpdate.maxUnavailable` of the Deployment `auth-service` is `1` within 10s
    And the field `spec.strategy.rollingUpdate.maxSurge` of the Deployment `auth-service` is `1` within 10s

  Scenario: 003-13 Readiness and liveness probes
    # Readiness on /health (it answers 200 only while PostgreSQL, Redis and NATS answer); liveness on
    # /livez: the platform's values move it off /health because a restart cannot bring a database back.
    Then the containers of deployment `auth-service` have readiness and liveness probes
    And every container in the namespace has readiness and liveness probes
    And the field `spec.template.spec.containers[0].readinessProbe.httpGet.path` of the Deployment `auth-service` is `/health` within 10s

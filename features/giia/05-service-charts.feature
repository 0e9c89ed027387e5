@giia
Feature: GIIA development cluster — Phase 4: the auth-service Helm chart
  T027-T039: the auth-service chart (two replicas, HTTP 8081 and gRPC 9091, ingress host
  auth.giia.local, configuration from shared-config and shared-secrets, requests and limits,
  probes), linted, installed and reached through the ingress. On the lab the image is the
  project's GIIA stand-in service (services/giia-service), built locally.

  Background:
    Given the platform namespace `giia-dev`

  Scenario: 003-26 auth-service runs two replicas
    Then the Helm release `auth-service` has the value `replicaCount` set to `2`
    And deployment `auth-service` has at least 2 Ready pods within 2m

  Scenario: 003-27 auth-service serves HTTP on 8081 and gRPC on 9091
    Then the Service `auth-service` exists
    And the field `spec.ports[0].port` of the Service `auth-service` is `8081` within 10s
    And the field `spec.ports[1].port` of the Service `auth-service` is `9091` within 10s
    And the probe gets HTTP 200 from `http://auth-service:8081/health` within 1m
    And the probe can connect to `auth-service` port 9091 within 30s

  Scenario: 003-28 auth-service takes its environment from shared-config and shared-secrets
    Then the containers of deployment `auth-service` take their environment from the ConfigMap `shared-config`
    And the containers of deployment `auth-service` take their environment from the Secret `shared-secrets`
    And the containers of deployment `auth-service` have the environment variable `PORT` set to `8081`
    And the containers of deployment `auth-service` have the environment variable `GRPC_PORT` set to `9091`
    And the containers of deployment `auth-service` have the environment variable `LOG_LEVEL` set to `info`

  Scenario: 003-29 auth-service requests 100m/128Mi and is limited to 500m/256Mi
    Then the containers of deployment `auth-service` request `100m` CPU and `128Mi` memory and are limited to `500m` CPU and `256Mi` memory

  Scenario: 003-30 The charts pass helm lint
    Then the Helm chart `manifests/platforms/giia/charts/auth-service` passes lint
    And the Helm chart `manifests/platforms/giia/charts/postgresql` passes lint
    And the Helm chart `manifests/platforms/giia/charts/redis` passes lint
    And the Helm chart `manifests/platforms/giia/charts/nats` passes lint

  Scenario: 003-31 The image is built with Docker and loaded into minikube
    Then this cannot be verified here: "there is no Docker engine or minikube on this machine; the lab builds the service image from services/giia-service with lab/images/build-image.sh (recipe giia-service) and imports it into the lab's containerd"

  Scenario: 003-32 helm install auth-service leaves a deployed release
    Then the Helm release `auth-service` is deployed at chart version `0.1.0`
    And the Helm release `auth-service` has the value `ingress.hosts[0].host` set to `auth.giia.local`

  Scenario: 003-33 The Deployment's pods, the Service and the Ingress exist
    Then deployment `auth-service` has at least 2 Ready pods within 1m
    And the Service `auth-service` exists
    And the Ingress `auth-service` exists

  Scenario: 003-34 auth.giia.local/health answers through the ingress
    Then the ingress answers HTTP 200 for the host `auth.giia.local` at `/health` within 1m

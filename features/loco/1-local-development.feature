@loco
Feature: Lego Loco — Phase 1: local development and verification
  The roadmap's first phase (seeds/002, "Phase 1: Local Development &
  Verification"): the cluster runs the emulator, frontend and backend, scales
  to nine emulator instances, and the fixes of that phase hold (Dockerfile and
  logger paths, emulator limits, RBAC and environment of the backend). On the
  lab the emulator is a stand-in that streams generated frames over HTTP:
  nine QEMU emulators do not fit its two cores.

  Background:
    Given the platform namespace `loco`

  Scenario: 002-01 Prerequisites (minikube, kubectl, helm) are installed
    Then this cannot be verified here: "the team's workstation tools (minikube, helm) and their versions are checked on the team's machines; the lab is a kubeadm-less cluster built from package registries, has no minikube or Helm, and there is no platform repository to run their scripts in"

  Scenario: 002-02 The cluster has the resources for nine emulator instances
    Then the cluster has at least 1 Ready node within 30s
    When statefulset `loco-emulator` is scaled to 9 replicas
    Then statefulset `loco-emulator` has exactly 9 Ready pods within 3m
    And the pods in the namespace request at most `1` CPU and `2Gi` memory in total
    And the pods in the namespace use at most `1500m` CPU and `2Gi` memory over 30s

  Scenario: 002-03 One emulator instance runs and streams
    Then statefulset `loco-emulator` has at least 1 Ready pod within 1m
    When the probe requests `http://loco-frontend/api/instances/loco-emulator-0/stream?frames=2` every 1s in the background
    Then the PromQL `sum(loco_emulator_frames_streamed_total)` increases within 1m
    And the PromQL `sum(rate(loco_emulator_frames_rendered_total[1m]))` is greater than 0 within 1m
    And every background request succeeded

  Scenario: 002-04 The frontend is accessible and displays the instances
    Then the probe gets HTTP 200 from `http://loco-frontend/` within 30s
    And the probe gets JSON from `http://loco-frontend/api/instances/live` where `$.instances` has at least 1 item within 1m

  Scenario: 002-05 The backend API responds
    Then the probe gets JSON from `http://loco-frontend/api/discovery/status` where `$.synced` is `true` within 30s
    And deployment `loco-backend` has at least 2 Ready pods within 1m

  Scenario: 002-06 The emulator scales to nine instances, all listed
    When statefulset `loco-emulator` is scaled to 9 replicas
    Then statefulset `loco-emulator` has exactly 9 Ready pods within 3m
    And the instance list at `http://loco-backend:3001/api/instances/live` follows the Ready pods of statefulset `loco-emulator` within 10s

  Scenario: 002-07 The VR frontend was tested locally
    Then a person verifies that "the VR frontend shows the emulator instances in a headset (the platform on the lab has no VR frontend)"

  Scenario: 002-08 The backend's image and logger paths work
    Then the logs of deployment `loco-backend` contain `discovery synced` within 30s
    And the logs of deployment `loco-backend` show no `ENOENT`
    And the logs of deployment `loco-backend` show no `"level":"error"`

  Scenario: 002-09 The emulator has resource limits and is not OOMKilled
    Then the containers of statefulset `loco-emulator` request `10m` CPU and `48Mi` memory and are limited to `100m` CPU and `128Mi` memory
    And no container of statefulset `loco-emulator` has been OOMKilled

  Scenario: 002-10 The backend has the RBAC permissions it needs
    Then the ServiceAccount `loco-backend` can list `endpointslices.discovery.k8s.io`
    And the ServiceAccount `loco-backend` can watch `endpointslices.discovery.k8s.io`

  Scenario: 002-11 The backend's environment comes from its configuration
    Then the containers of deployment `loco-backend` take their environment from the ConfigMap `loco-backend-config`
    And the containers of deployment `loco-backend` have the environment variable `EMULATOR_SERVICE` set to `loco-emulator`

# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): connectivity, DNS,
# NetworkPolicies and TLS from probe pods on the lab.
Feature: network and TLS checks fail when the network is not what they state

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m

  Scenario: a status the service does not answer
    Fails with: /HTTP 200/
    Fails with: /404/
    Then the probe gets HTTP 404 from "http://echo/" within 10s

  Scenario: a name DNS does not know
    Fails with: /kubeproof-no-such-service did not resolve: not found by the pod resolver/
    Then the probe resolves "kubeproof-no-such-service" within 10s

  Scenario: a port nothing listens on
    Fails with: /echo/
    Fails with: /81/
    Then the probe can connect to "echo" port 81 within 10s

  Scenario: without a NetworkPolicy the connection is not blocked
    Fails with: /echo/
    Then the probe cannot connect to "echo" port 80 within 10s

  Scenario: without a NetworkPolicy every identity connects
    Fails with: /app=intruder/
    Then the NetworkPolicies let a pod labelled "app=client" reach "echo" port 80 and refuse a pod labelled "app=intruder" within 20s

  Scenario: a plaintext HTTP port serves no TLS
    Fails with: /Service kp-[^ ]+\/echo port 80 .* serves no TLS/
    Then the Service "echo" serves TLS on port 80 for the name "echo" with a certificate from the CA in the ConfigMap "kube-root-ca.crt"

  Scenario: a plaintext port that answers is not refused
    Fails with: /echo/
    Then every address of the Service "echo" refuses plaintext on port 80 and answers TLS on port 80 for the name "echo" with the CA in the ConfigMap "kube-root-ca.crt"

  Scenario: a background load against a Service that does not exist
    Fails with: /kubeproof-nothing/
    When the k6 script "fixtures/k6/smoke.js" loads the Service "kubeproof-nothing" port 80 in the background for 5s

  Scenario: an HTTP answer that is not the Prometheus text format
    Fails with: /answered, but not in the Prometheus text format/
    Then a pod of deployment "echo" serves Prometheus metrics on port 8080 at "/metrics"

  Scenario: a port nothing serves metrics on
    Fails with: /fetching http:\/\/localhost:9999\/metrics in pod echo-\S+ failed/
    Then a pod of deployment "echo" serves the metric "up" on port 9999 at "/metrics"

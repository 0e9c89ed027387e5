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

  # Labelled pods and allow-lists (the Background applied echo, without any NetworkPolicy).

  Scenario: a policy that refuses the identity meant to be allowed
    Fails with: /a pod labelled app=frontend in kp-\S+ \(kubeproof-probe-\S+\) to connect to echo:80/
    Fails with: /refused/
    When the manifest "fixtures/lab/faults/network-deny-frontend.yaml" is applied
    Then a pod labelled "app=frontend" can connect to "echo" port 80 within 15s

  Scenario: a policy that admits everyone lets the denied identity through
    Fails with: /a pod labelled app=intruder in kp-\S+ still connected to echo:80 after/
    Fails with: /succeeded/
    When the manifest "fixtures/lab/faults/network-allow-all.yaml" is applied
    Then a pod labelled "app=frontend" can connect to "echo" port 80 within 15s
    And a pod labelled "app=intruder" cannot connect to "echo" port 80 within 10s

  Scenario: a denial without a positive control on the same path is not judged
    Fails with: /no pod of this scenario connected to echo:80/
    When the manifest "fixtures/lab/faults/network-deny-frontend.yaml" is applied
    Then a pod labelled "app=intruder" cannot connect to "echo" port 80 within 10s

  Scenario: a name that does not resolve is an error, not a denial
    Fails with: /kubeproof-no-such-service does not resolve from a pod labelled app=intruder/
    Fails with: /not a denial/
    Then a pod labelled "app=intruder" cannot connect to "kubeproof-no-such-service" port 80 within 10s

  Scenario: a pod in another namespace is not refused where nothing forbids it
    Fails with: /a pod labelled app=other in default still connected to kubernetes.default:443/
    Then a pod labelled "app=client" in the namespace "default" can connect to "kubernetes.default" port 443 within 30s
    And a pod labelled "app=other" in the namespace "default" cannot connect to "kubernetes.default" port 443 within 10s

  Scenario: a pod in another namespace cannot reach a port nothing serves
    Fails with: /a pod labelled app=client in default \(kubeproof-probe-\S+\) to connect to kubernetes.default:1/
    Then a pod labelled "app=client" in the namespace "default" can connect to "kubernetes.default" port 1 within 10s

  Scenario: a matrix whose denied connection gets through a policy that admits everyone
    Fails with: /1 of 2 connections are not as stated: app=intruder in kp-\S+ → echo:80 should be denied/
    Fails with: /still connected to echo:80/
    When the manifest "fixtures/lab/faults/network-allow-all.yaml" is applied
    Then these connections are allowed and denied:
      | from         | to   | port | expected |
      | app=frontend | echo | 80   | allowed  |
      | app=intruder | echo | 80   | denied   |

  Scenario: a matrix whose allowed connection is refused
    Fails with: /app=frontend in kp-\S+ → echo:80 should be allowed \(never connected/
    Fails with: /app=intruder in kp-\S+ → echo:80 should be denied \(the allowed connection to this target failed/
    When the manifest "fixtures/lab/faults/network-deny-frontend.yaml" is applied
    Then these connections are allowed and denied:
      | from         | to   | port | expected |
      | app=frontend | echo | 80   | allowed  |
      | app=intruder | echo | 80   | denied   |

  Scenario: deny by default does not hold when a policy admits everyone
    Fails with: /pod\(s\) not labelled app=frontend were not refused by echo:80/
    Fails with: /\(no labels\) in kp-\S+ still connected to echo:80/
    When the manifest "fixtures/lab/faults/network-allow-all.yaml" is applied
    Then no pod in the namespace can connect to "echo" port 80 except those labelled "app=frontend"

  Scenario: deny by default without a working positive control proves nothing
    Fails with: /the allowed pod labelled app=frontend in kp-\S+ does not connect to echo:80 either/
    When the manifest "fixtures/lab/faults/network-deny-frontend.yaml" is applied
    Then no pod in the namespace can connect to "echo" port 80 except those labelled "app=frontend"

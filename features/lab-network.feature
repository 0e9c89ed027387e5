@lab
Feature: HTTP/JSON probes and NetworkPolicy allow-lists on the lab
  The generic HTTP steps (method, headers, body, virtual hosts, JSON content) and the
  labelled-pod steps (who may connect where, deny by default) pass where the platform
  is right: a small JSON API and the echo service behind NetworkPolicies that kube-router
  enforces.

  Background:
    Given a fresh namespace for this scenario

  Scenario: Requests with a header, a method and a body, and for a virtual host
    When the manifest "fixtures/lab/network-api.yaml" is applied
    Then deployment "api" rolls out with 1 ready replica within 2m
    And the probe gets HTTP 200 from "http://api/secure" with the header "X-Api-Key: lab-key-7f3a9c" within 30s
    And the probe gets HTTP 200 from "http://api/secure" with the header "Authorization: Bearer lab-key-7f3a9c" within 10s
    And the probe gets HTTP 201 when sending POST `{"name":"widget"}` to "http://api/items" within 10s
    And the probe gets HTTP 405 when sending DELETE to "http://api/items" within 10s
    And the probe gets HTTP 200 from "http://api/" for the host "shop.example" within 10s

  Scenario: A JSON document holds the values, numbers and lists it promises
    When the manifest "fixtures/lab/network-api.yaml" is applied
    Then deployment "api" rolls out with 1 ready replica within 2m
    And the probe gets JSON from "http://api/status" where "$.ready" is "true" within 30s
    And the probe gets JSON from "http://api/status" where "version" is "1.4.2" within 10s
    And the probe gets JSON from "http://api/status" where "$.replicas" is at least 3 within 10s
    And the probe gets JSON from "http://api/status" where "load" is less than 0.8 within 10s
    And the probe gets JSON from "http://api/status" where "$.instances" has exactly 3 items within 10s
    And the probe gets JSON from "http://api/status" where "$.instances[?(@.ready)]" has exactly 2 items within 10s

  Scenario: An allow-list: only the frontend reaches echo, every other pod is refused
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    When the manifest "fixtures/lab/network-allow-frontend.yaml" is applied
    Then a pod labelled "app=frontend" can connect to "echo" port 80 within 30s
    And a pod labelled "app=intruder" cannot connect to "echo" port 80 within 30s
    And these connections are allowed and denied:
      | from           | to   | port | expected |
      | app=frontend   | echo | 80   | allowed  |
      | app=intruder   | echo | 80   | denied   |
      | app=backoffice | echo | 80   | denied   |
    And no pod in the namespace can connect to "echo" port 80 except those labelled "app=frontend"

  Scenario: A pod in another namespace reaches the API server's Service
    Then a pod labelled "app=client" in the namespace "default" can connect to "kubernetes.default" port 443 within 30s

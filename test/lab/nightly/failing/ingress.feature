# Must-fail scenarios (test/must-fail.ts, run by lab/nightly.sh: Traefik is too slow to build for a cold CI): requests and TLS through an ingress
# controller (Traefik v3, one per scenario: fixtures/lab/ingress-traefik.yaml) on the lab.
Feature: ingress checks fail when a host is not routed, answers otherwise, or is served another certificate

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/ingress-traefik.yaml" is applied
    And the manifest "fixtures/lab/ingress-app.yaml" is applied
    Then deployment "traefik" rolls out with 1 ready replica within 2m
    And deployment "web" rolls out with 1 ready replica within 2m

  Scenario: a status the routed app does not give
    Fails with: /the ingress to answer HTTP 200 for the host a\.example\.test at \/missing/
    Fails with: /last seen.*HTTP 404 from traefik\.kp-[a-z0-9-]+\.svc\.cluster\.local: web app: host a\.example\.test path \/missing/
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 30s
    And the ingress answers HTTP 200 for the host "a.example.test" at "/missing" within 5s

  Scenario: a host no Ingress routes
    Fails with: /HTTP 404 from traefik\.kp-[a-z0-9-]+\.svc\.cluster\.local \(no Ingress names c\.example\.test\): 404 page not found/
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 30s
    And the ingress answers HTTP 200 for the host "c.example.test" at "/" within 5s

  Scenario: a TLS host whose Secret is missing is served the controller's default certificate
    Fails with: /the certificate served for b\.example\.test at .*:443 does not name b\.example\.test: subject CN=TRAEFIK DEFAULT CERT/
    Fails with: /the controller's default certificate/
    Fails with: /Ingress kp-[a-z0-9-]+\/web-b names the TLS Secret b-example-test-tls for b\.example\.test, which does not exist/
    When the manifest "fixtures/lab/faults/ingress-tls-secret-missing.yaml" is applied
    Then the ingress answers HTTP 200 for the host "b.example.test" at "/" within 30s
    And the ingress serves TLS for the host "b.example.test" with a certificate for "b.example.test"

  Scenario: a certificate from another issuer than stated
    Fails with: /is issued by CN=kubeproof ingress test CA, not Let's Encrypt/
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 30s
    And the ingress serves TLS for the host "a.example.test" with a certificate for "a.example.test" issued by "Let's Encrypt"

  Scenario: the ingress controller is not running
    Fails with: /the ingress controller Service kp-[a-z0-9-]+\/traefik has no Ready pod .*: the controller is not running/
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 30s
    When deployment "traefik" is stopped: scaled to 0 replicas
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 5s

  Scenario: TLS when the ingress controller is not running
    Fails with: /no TLS handshake with traefik\.kp-[a-z0-9-]+\.svc\.cluster\.local:443 for SNI a\.example\.test.*the ingress controller Service kp-[a-z0-9-]+\/traefik has no Ready pod/
    Then the ingress serves TLS for the host "a.example.test" with a certificate for "a.example.test"
    When deployment "traefik" is stopped: scaled to 0 replicas
    Then the ingress serves TLS for the host "a.example.test" with a certificate for "a.example.test"

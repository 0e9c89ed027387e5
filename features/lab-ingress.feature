@lab @nightly
Feature: Requests through the ingress controller on the lab
  The ingress steps pass where the platform is right: Traefik v3 (the lab's ingress controller,
  built from the Go module proxy) routes a host to a web app over HTTP and HTTPS, with the
  certificate from the Ingress's TLS Secret, and answers 404 for a host no Ingress names.
  Each scenario runs its own controller, limited to its namespace (fixtures/lab/ingress-traefik.yaml).

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/ingress-traefik.yaml" is applied
    And the manifest "fixtures/lab/ingress-app.yaml" is applied
    Then deployment "traefik" rolls out with 1 ready replica within 2m
    And deployment "web" rolls out with 1 ready replica within 2m

  Scenario: A host is routed to its app; an unknown host is not
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 30s
    And the ingress answers HTTP 404 for the host "a.example.test" at "/missing" within 10s
    And the ingress answers HTTP 404 for the host "unknown.example.test" at "/" within 10s

  Scenario: A host is served over TLS with the certificate of its Ingress's Secret
    Then the ingress answers HTTP 200 for the host "a.example.test" at "/" within 30s
    And the ingress serves TLS for the host "a.example.test" with a certificate for "a.example.test"
    And the ingress serves TLS for the host "a.example.test" with a certificate for "a.example.test" issued by "kubeproof ingress test CA"

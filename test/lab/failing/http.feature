# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh): HTTP requests with a method, headers,
# a body or a virtual host, and JSON content, from the probe pod on the lab.
Feature: HTTP and JSON checks fail when the answers are not what they state

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/network-api.yaml" is applied
    Then deployment "api" rolls out with 1 ready replica within 2m

  Scenario: a wrong credential is refused, and never shown even when the server echoes it
    Fails with: /^(?![\s\S]*wrong-key-0042)[\s\S]*http:\/\/api\/secure to answer HTTP 200/
    Fails with: /HTTP 401/
    Fails with: /\[REDACTED\]/
    Then the probe gets HTTP 200 from "http://api/secure" with the header "Authorization: Bearer wrong-key-0042" within 5s

  Scenario: a body the service rejects
    Fails with: /http:\/\/api\/items to answer HTTP 201/
    Fails with: /HTTP 422 .*name is required/
    Then the probe gets HTTP 201 when sending POST `{"title":"no name"}` to "http://api/items" within 5s

  Scenario: a method the service does not allow
    Fails with: /HTTP 405 .*PUT not allowed/
    Then the probe gets HTTP 200 when sending PUT to "http://api/items" within 5s

  Scenario: a virtual host the server has no route for
    Fails with: /http:\/\/api-misrouted\/ \(host shop\.example\) to answer HTTP 200/
    Fails with: /HTTP 404 .*no route for host shop\.example/
    When the manifest "fixtures/lab/faults/network-api-wrong-routes.yaml" is applied
    Then deployment "api-misrouted" rolls out with 1 ready replica within 2m
    And the probe gets HTTP 200 from "http://api-misrouted/" for the host "shop.example" within 5s

  Scenario: a JSON value that is not the stated one
    Fails with: /JSON from http:\/\/api-stale\/status where \$\.ready is "true"/
    Fails with: /last seen .*\$\.ready is false, expected "true"/
    When the manifest "fixtures/lab/faults/network-api-wrong-json.yaml" is applied
    Then deployment "api-stale" rolls out with 1 ready replica within 2m
    And the probe gets JSON from "http://api-stale/status" where "$.ready" is "true" within 5s

  Scenario: a JSON number below the bound
    Fails with: /\$\.replicas is 1, expected at least 3/
    When the manifest "fixtures/lab/faults/network-api-wrong-json.yaml" is applied
    Then deployment "api-stale" rolls out with 1 ready replica within 2m
    And the probe gets JSON from "http://api-stale/status" where "replicas" is at least 3 within 5s

  Scenario: a JSON list with too few items
    Fails with: /\$\.instances has 0 item\(s\), expected at least 1/
    When the manifest "fixtures/lab/faults/network-api-wrong-json.yaml" is applied
    Then deployment "api-stale" rolls out with 1 ready replica within 2m
    And the probe gets JSON from "http://api-stale/status" where "$.instances" has at least 1 item within 5s

  Scenario: an answer that is not JSON names the URL, the status and the start of the body
    Fails with: /GET http:\/\/api\/text: HTTP 200 \(text\/plain\) is not JSON/
    Fails with: /this is plain text, not JSON/
    Then the probe gets JSON from "http://api/text" where "$.ready" is "true" within 5s

  Scenario: a path that is not in the document
    Fails with: /nothing at \$\.nowhere\.deep/
    Then the probe gets JSON from "http://api/status" where "nowhere.deep" is "x" within 5s

@loco
Feature: Lego Loco — Phase 3: security
  Container security, network security, access control and secrets (roadmap
  3.1–3.3): non-root containers, NetworkPolicies that deny all by default and
  allow exactly frontend → backend → emulator, and a backend ServiceAccount
  that may read EndpointSlices and nothing more.

  Background:
    Given the platform namespace `loco`

  Scenario: 002-33 Image scanning (Trivy/Clair) in CI with thresholds and reports
    Then this cannot be verified here: "vulnerability scanners fetch their database from an OCI registry or CDN this machine cannot reach, and there is no CI"

  Scenario: 002-34 Minimal base images, unneeded packages removed
    Then this cannot be verified here: "no step reads an image's size or contents (proposed step W7); note that the lab's stand-in images are Debian with Node.js and a shell, not distroless"

  Scenario: 002-35 Base images updated to the latest secure versions
    Then this cannot be verified here: "needs a vulnerability database and the upstream release feeds, which this machine cannot reach"

  Scenario: 002-36 The backend runs as non-root
    Then the containers of deployment `loco-backend` run as a non-root user

  Scenario: 002-37 The frontend runs as non-root
    Then the containers of deployment `loco-frontend` run as a non-root user

  Scenario: 002-38 The emulator has a restrictive security context
    Then the containers of statefulset `loco-emulator` run as a non-root user
    And the field `spec.template.spec.containers[0].securityContext.privileged` of the StatefulSet `loco-emulator` is `false` within 10s
    And the field `spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation` of the StatefulSet `loco-emulator` is `false` within 10s
    And the field `spec.template.spec.containers[0].securityContext.capabilities.drop[0]` of the StatefulSet `loco-emulator` is `ALL` within 10s

  Scenario: 002-39 Deny all by default, allow explicitly
    Then the NetworkPolicy `default-deny-all` exists
    And no pod in the namespace can connect to `loco-backend` port 3001 except those labelled `app.kubernetes.io/name=loco-frontend`
    And no pod in the namespace can connect to `loco-emulator` port 8080 except those labelled `app.kubernetes.io/name=loco-backend`
    And no pod in the namespace can connect to `loco-emulator` port 9464 except those labelled `app.kubernetes.io/name=loco-prometheus`

  Scenario: 002-40 Frontend → backend only
    Then the NetworkPolicies let a pod labelled `app.kubernetes.io/name=loco-frontend` reach `loco-backend` port 3001 and refuse a pod labelled `app.kubernetes.io/name=loco-emulator` within 30s
    And these connections are allowed and denied:
      | from                                   | to            | port | expected |
      | app.kubernetes.io/name=loco-frontend   | loco-backend  | 3001 | allowed  |
      | app.kubernetes.io/name=loco-frontend   | loco-emulator | 8080 | denied   |
      | app.kubernetes.io/name=loco-backend    | loco-emulator | 8080 | allowed  |
      | app.kubernetes.io/name=loco-prometheus | loco-backend  | 3001 | denied   |

  Scenario: 002-41 Backend → emulator only
    Then the NetworkPolicies let a pod labelled `app.kubernetes.io/name=loco-backend` reach `loco-emulator` port 8080 and refuse a pod labelled `app.kubernetes.io/name=loco-frontend` within 30s

  Scenario: 002-42 Service mesh with mTLS and traffic policies
    Then this cannot be verified here: "no service mesh proxy (Envoy for Istio, linkerd2-proxy) can be obtained from the package registries reachable here"

  Scenario: 002-43 Ingress TLS certificates
    Then this cannot be verified here: "the stand-in Lego Loco manifests here define no Ingress and no certificate (a roadmap item of the document); the lab's ingress controller (Traefik, nightly) would be checked with `the ingress serves TLS for host … with a certificate for …` once the platform has one"

  Scenario: 002-44 Ingress rate limiting
    Then this cannot be verified here: "the stand-in Lego Loco manifests here define no Ingress, and no step measures a rate limit (requests refused with 429 beyond a rate)"

  Scenario: 002-45 WAF rules
    Then this cannot be verified here: "no WAF (ModSecurity) can be obtained from the registries here, and the stand-in Lego Loco manifests define no Ingress"

  Scenario: 002-46 Least-privilege ServiceAccounts
    Then the ServiceAccount `loco-backend` cannot delete `pods`
    And the ServiceAccount `loco-backend` cannot list `secrets`
    And the ServiceAccount `loco-backend` cannot create `endpointslices.discovery.k8s.io`
    And the ServiceAccount `loco-frontend` cannot list `endpointslices.discovery.k8s.io`
    And no ServiceAccount in the namespace is bound to the ClusterRole `cluster-admin`

  Scenario: 002-47 OAuth/OIDC for the frontend with an identity provider and roles
    Then this cannot be verified here: "no identity provider can be obtained from the registries reachable here (Dex only as v2.13.0+incompatible; Keycloak unchecked), and the stand-in frontend has no login"

  Scenario: 002-48 Sealed Secrets or External Secrets Operator
    Then this cannot be verified here: "the stand-in Lego Loco manifests here hold no SealedSecret or ExternalSecret (a roadmap item of the document); the lab's Sealed Secrets controller (nightly) would be checked with `the SealedSecret … is unsealed into the Secret …` once the platform has one"

  Scenario: 002-49 Plain secrets migrated out of the repository
    Then this cannot be verified here: "the criterion is about the team's repository, and there is no platform repository here"

  Scenario: 002-50 Secrets are rotated regularly
    Then this cannot be verified here: "the platform holds no Secrets of its own, and no step checks a Secret's age (proposed step X2)"

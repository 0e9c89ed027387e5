@homelab
Feature: k3d homelab — Phase 4: backup and object storage
  MinIO and Velero (roadmap 4.1, 4.2). Neither runs on the lab: MinIO exists on the Go
  module proxy only as pseudo-versions with an unverified dependency tree, and Velero (buildable
  from the proxy) needs an S3 store to write to. Every criterion is reported not verified.

  Background:
    Given the platform namespace `homelab`

  Scenario: 004-35 MinIO is accessible in the cluster
    Then this cannot be verified here: "no MinIO or other S3 store runs on the lab (MinIO is only a pseudo-version on the Go module proxy; no substitute S3 server is built for the lab)"

  Scenario: 004-36 A bucket can be created with the mc CLI
    Then this cannot be verified here: "no S3 store runs on the lab, and mc is only a pseudo-version on the Go module proxy"

  Scenario: 004-37 Tempo and Loki write to MinIO
    Then this cannot be verified here: "no S3 store runs on the lab; Tempo is refused by the Go module proxy (403); the homelab's Loki keeps its chunks on the filesystem"

  Scenario: 004-38 A Velero backup completes
    Then this cannot be verified here: "Velero is not built for the lab: it, its AWS plugin and an S3 server would come from the Go module proxy as images of their own, and none is built yet"

  Scenario: 004-39 A backup schedule covers the namespaces
    Then this cannot be verified here: "no Velero on the lab, so no Schedule objects"

  Scenario: 004-40 A restore into a new namespace succeeds
    Then this cannot be verified here: "no Velero and no S3 store on the lab"

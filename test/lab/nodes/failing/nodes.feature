# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh while the extra nodes run): nodes and
# placement on the lab's three nodes (lab/nodes.sh). Only the drain touches kubeproof-lab-2, and no other scenario here
# depends on what runs there.
Feature: node and placement checks fail when the cluster does not place pods as they state

  Background:
    Given a fresh namespace for this scenario

  Scenario: a label fewer nodes carry than stated
    Fails with: /2 of 3 node\(s\) carry the label kubeproof.dev\/extra-node=true/
    Then exactly 3 nodes carry the label "kubeproof.dev/extra-node=true"

  Scenario: pods that do not tolerate the extra nodes do not run in their zone
    Fails with: /run on nodes without the label topology.kubernetes.io\/zone=lab-2/
    Fails with: /on kubeproof-lab \(topology.kubernetes.io\/zone=lab-1\)/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the pods of deployment "echo" run on nodes labelled "topology.kubernetes.io/zone=lab-2"

  Scenario: pods on one node are not spread
    Fails with: /run on 1 node\(s\), not at least 2: kubeproof-lab \(2\)/
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 1m
    And the pods of deployment "echo" are spread over at least 2 nodes

  Scenario: pods that cannot be scheduled have no placement
    Fails with: /1 pod\(s\) of deployment .*\/nowhere are not scheduled on any node: nowhere-/
    When the manifest "fixtures/lab/faults/nodes-nowhere.yaml" is applied
    Then the pods of deployment "nowhere" run on nodes labelled "topology.kubernetes.io/zone=lab-9"

  Scenario: a drain that a PodDisruptionBudget refuses does not finish
    Fails with: /timed out after 15s waiting for node kubeproof-lab-2 to be drained/
    Fails with: /eviction refused: .*disruption budget/
    When the manifest "fixtures/lab/nodes-pinned.yaml" is applied
    And the manifest "fixtures/lab/faults/nodes-pdb-all.yaml" is applied
    Then deployment "pinned" rolls out with 2 ready replicas within 2m
    When the node "kubeproof-lab-2" is drained within 15s

  Scenario: a node that does not exist cannot be drained
    Fails with: /there is no node kubeproof-lab-9/
    When the node "kubeproof-lab-9" is drained within 15s

  Scenario: replicas still on a node are not elsewhere
    Fails with: /on kubeproof-lab: web-/
    When the manifest "fixtures/lab/nodes-web.yaml" is applied
    Then deployment "web" rolls out with 3 ready replicas within 2m
    And deployment "web" has all its replicas Ready on nodes other than "kubeproof-lab" within 5s

  Scenario: a node that is up is not reported down
    Fails with: /timed out after 5s waiting for node kubeproof-lab-3 to be not Ready; last seen .*Ready=True/
    Then the node "kubeproof-lab-3" is not Ready within 5s

  Scenario: a node that does not exist cannot go down
    Fails with: /there is no node kubeproof-lab-9/
    When the node "kubeproof-lab-9" goes down

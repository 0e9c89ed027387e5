@lab
Feature: Several nodes: labels, placement, spreading and a drained node
  lab/nodes.sh adds the nodes kubeproof-lab-2 and kubeproof-lab-3 (zones lab-2 and lab-3, tainted
  kubeproof.dev/extra-node=true:NoSchedule) beside the first node (zone lab-1); lab/ci.sh starts them.
  test/lab/failing/nodes.feature shows each of these checks failing.

  Background:
    Given a fresh namespace for this scenario

  Scenario: Three Ready nodes, two of them extra nodes with a zone each
    Then the cluster has exactly 3 Ready nodes within 1m
    And exactly 2 nodes carry the label "kubeproof.dev/extra-node=true"
    And exactly 1 node carries the label "topology.kubernetes.io/zone=lab-2"
    And exactly 3 nodes carry the label "topology.kubernetes.io/zone"

  Scenario: A Deployment spread over every zone by a topology spread constraint
    When the manifest "fixtures/lab/nodes-web.yaml" is applied
    Then deployment "web" rolls out with 3 ready replicas within 2m
    And the pods of deployment "web" are spread over at least 3 nodes
    And the probe gets HTTP 200 from "http://web/" within 30s

  Scenario: Pods that require a zone run on the node labelled with it
    When the manifest "fixtures/lab/nodes-zoned.yaml" is applied
    Then deployment "zoned" has at least 2 Ready pods within 2m
    And the pods of deployment "zoned" run on nodes labelled "topology.kubernetes.io/zone=lab-2"

  Scenario: A drained node's pods move to another node, one at a time under their PodDisruptionBudget
    When the manifest "fixtures/lab/nodes-pinned.yaml" is applied
    And the manifest "fixtures/lab/nodes-pdb.yaml" is applied
    Then deployment "pinned" rolls out with 2 ready replicas within 2m
    And the pods of deployment "pinned" run on nodes labelled "topology.kubernetes.io/zone=lab-2"
    When the node "kubeproof-lab-2" is drained within 2m
    Then deployment "pinned" has all its replicas Ready on nodes other than "kubeproof-lab-2" within 2m
    And the pods of deployment "pinned" run on nodes labelled "topology.kubernetes.io/zone=lab-3"

  # lab/ci.sh sets KUBEPROOF_NODE_DOWN_COMMAND="bash lab/nodes.sh stop {node}" and the matching up command.
  Scenario: A node that goes down: it turns not Ready and its pods are replaced on another node
    When the manifest "fixtures/lab/nodes-survivor.yaml" is applied
    Then deployment "survivor" rolls out with 2 ready replicas within 2m
    And the pods of deployment "survivor" run on nodes labelled "topology.kubernetes.io/zone=lab-3"
    When the node "kubeproof-lab-3" goes down
    Then the node "kubeproof-lab-3" is not Ready within 2m
    And deployment "survivor" has all its replicas Ready on nodes other than "kubeproof-lab-3" within 2m
    And the pods of deployment "survivor" run on nodes labelled "topology.kubernetes.io/zone=lab-2"

@streaming @teardown
Feature: Streaming prototype — minimal and reversible (final notes)
  "Keep everything minimal and reversible": everything the platform made lives in its
  namespace and goes with it. Runs last, because it removes the platform; deploy it
  again with `npm run verify -- --platform streaming`.

  Scenario: 000-33 Teardown leaves nothing behind
    Given the platform namespace `streaming`
    When the objects labelled `app.kubernetes.io/part-of=streaming` are deleted
    Then no object labelled `app.kubernetes.io/part-of=streaming` remains in the namespace within 2m
    When the namespace `streaming` is deleted
    Then the namespace `streaming` is gone within 2m

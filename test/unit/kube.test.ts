import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../support/clients/kube/manifests';
import { selectorString, describe as describeObject } from '../../support/clients/kube/client';
import { BadInputError } from '../../support/engine/errors';

test('manifests: placeholders are filled, documents split, names required', () => {
  const objs = parseManifest(
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: ${NAMESPACE} }\n---\n---\napiVersion: v1\nkind: Service\nmetadata: { name: b }\n',
    { NAMESPACE: 'kp-1' },
    'x.yaml',
  );
  assert.deepEqual(
    objs.map((o) => `${o.kind}/${o.metadata?.name}/${o.metadata?.namespace ?? ''}`),
    ['ConfigMap/a/kp-1', 'Service/b/'],
  );
});

test('a malformed manifest fails naming the file and the problem', () => {
  assert.throws(
    () => parseManifest('apiVersion: v1\nkind: [unclosed\n', {}, 'fixtures/bad.yaml'),
    (e: unknown) => e instanceof BadInputError && /fixtures\/bad\.yaml: YAML error/.test(e.message),
  );
  assert.throws(() => parseManifest('kind: ConfigMap\nmetadata: { name: a }\n', {}, 'm.yaml'), /m\.yaml: a document lacks apiVersion, kind or metadata\.name/);
  assert.throws(
    () => parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${NAME} }\n', { NAMESPACE: 'x' }, 'm.yaml'),
    /unknown placeholder \$\{NAME\}.*\n.*known: NAMESPACE/s,
  );
  assert.throws(() => parseManifest('# only a comment\n', {}, 'empty.yaml'), /empty\.yaml: no Kubernetes objects/);
});

test('label selectors become the query string the API expects', () => {
  assert.equal(selectorString({ matchLabels: { app: 'producer', tier: 'edge' } }), 'app=producer,tier=edge');
  assert.equal(
    selectorString({
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
      ],
    }),
    'env in (a,b),!canary,zone',
  );
  assert.equal(describeObject({ kind: 'Deployment', metadata: { name: 'producer', namespace: 'conveyor-pipeline' } }), 'Deployment conveyor-pipeline/producer');
});

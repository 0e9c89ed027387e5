import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareVersions,
  conditionText,
  fieldEquals,
  fieldNumber,
  judgeCondition,
  keyPattern,
  normalizeFieldPath,
  parseVersion,
  selectField,
} from '../../support/checks/objects';
import { holdsEntry, parseLabelSpec } from '../../support/checks/shared/labels';
import { type ApiResource, closestKinds, collectionPath, findResource, parseAggregated, parseResourceList } from '../../support/clients/kube/discovery';
import { BadInputError } from '../../support/engine/errors';
import { compare, parseComparison } from '../../support/engine/compare';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', generation: 3, labels: { 'app.kubernetes.io/name': 'api', tier: 'backend' } },
  spec: {
    replicas: 2,
    strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
    template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } },
  },
  status: {
    observedGeneration: 3,
    readyReplicas: 2,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};

test('field paths: kubectl, bare and JSONPath forms name the same field', () => {
  assert.equal(normalizeFieldPath('spec.replicas'), '$.spec.replicas');
  assert.equal(normalizeFieldPath('.spec.replicas'), '$.spec.replicas');
  assert.equal(normalizeFieldPath('{.spec.replicas}'), '$.spec.replicas');
  assert.equal(normalizeFieldPath('$.spec.replicas'), '$.spec.replicas');
  assert.equal(normalizeFieldPath('[0].x'), '$[0].x');
  assert.equal(normalizeFieldPath('metadata.labels.app\\.kubernetes\\.io/name'), "$.metadata.labels['app.kubernetes.io/name']");
  assert.throws(() => normalizeFieldPath('  '), BadInputError);
  assert.throws(() => normalizeFieldPath('$'), BadInputError);
});

test('a field is selected: one value, a filter, an escaped key, absent, several matches', () => {
  assert.deepEqual(selectField(deployment, normalizeFieldPath('spec.replicas')), { found: true, value: 2 });
  assert.deepEqual(selectField(deployment, normalizeFieldPath('status.conditions[?(@.type=="Available")].status')), { found: true, value: 'True' });
  assert.deepEqual(selectField(deployment, normalizeFieldPath('metadata.labels.app\\.kubernetes\\.io/name')), { found: true, value: 'api' });
  assert.deepEqual(selectField(deployment, normalizeFieldPath("metadata.labels['app.kubernetes.io/name']")), { found: true, value: 'api' });
  assert.deepEqual(selectField(deployment, normalizeFieldPath('spec.template.spec.securityContext.runAsUser')), { found: false, value: undefined });
  assert.deepEqual(selectField(deployment, normalizeFieldPath('status.conditions[*].type')), { found: true, value: ['Available', 'Progressing'] });
  assert.deepEqual(selectField(deployment, '$.spec.strategy'), { found: true, value: deployment.spec.strategy });
});

test('a field equals the text of a step by its type', () => {
  assert.ok(fieldEquals(2, '2'));
  assert.ok(fieldEquals(2, '2.0'));
  assert.ok(!fieldEquals(2, ''));
  assert.ok(!fieldEquals(2, '3'));
  assert.ok(fieldEquals('25%', '25%'));
  assert.ok(!fieldEquals('2', ' 2'));
  assert.ok(fieldEquals(true, 'true'));
  assert.ok(!fieldEquals(false, 'true'));
  assert.ok(fieldEquals({ maxUnavailable: '25%', maxSurge: 1 }, '{"maxSurge":1,"maxUnavailable":"25%"}'));
  assert.ok(fieldEquals(['a', 'b'], '["a","b"]'));
  assert.ok(!fieldEquals(['a', 'b'], 'a,b'));
  assert.ok(fieldEquals(null, 'null'));
});

test('a field is a number, or a string holding one', () => {
  assert.equal(fieldNumber(3), 3);
  assert.equal(fieldNumber('3'), 3);
  assert.equal(fieldNumber('0.5'), 0.5);
  assert.ok(Number.isNaN(fieldNumber('25%')));
  assert.ok(Number.isNaN(fieldNumber('')));
  assert.ok(Number.isNaN(fieldNumber(null)));
});

test('versions compare numerically, at the precision written', () => {
  assert.deepEqual(parseVersion('v1.33.4'), [1, 33, 4]);
  assert.deepEqual(parseVersion('v1.30.2+k3s1'), [1, 30, 2]);
  assert.deepEqual(parseVersion('1.28'), [1, 28]);
  assert.equal(parseVersion('latest'), undefined);
  const holds = (actual: string, words: string, expected: string) => compare(compareVersions(actual, expected), parseComparison(words), 0);
  assert.ok(holds('v1.33.4', 'at least', '1.28'));
  assert.ok(holds('v1.33.4', 'at least', '1.9')); // 33 > 9 numerically, not as text
  assert.ok(!holds('v1.9.0', 'at least', '1.28'));
  assert.ok(holds('v1.33.4', 'exactly', '1.33'));
  assert.ok(holds('v1.33.4', 'at most', '1.33'));
  assert.ok(!holds('v1.33.4', 'less than', '1.33'));
  assert.ok(holds('v1.33.4', 'less than', '1.33.5'));
  assert.ok(holds('v1.33.4', 'greater than', 'v1.33.3'));
  assert.ok(!holds('v1.33.4', 'at least', '1.99'));
  assert.throws(() => compareVersions('v1.33.4', 'newest'), BadInputError);
});

test('labels and annotations: key=value or just the key', () => {
  assert.deepEqual(parseLabelSpec('environment=development'), { key: 'environment', value: 'development' });
  assert.deepEqual(parseLabelSpec(' app.kubernetes.io/name '), { key: 'app.kubernetes.io/name' });
  assert.deepEqual(parseLabelSpec('empty='), { key: 'empty', value: '' });
  assert.throws(() => parseLabelSpec('=x'), BadInputError);
  const labels = deployment.metadata.labels;
  assert.ok(holdsEntry(labels, { key: 'tier' }));
  assert.ok(holdsEntry(labels, { key: 'tier', value: 'backend' }));
  assert.ok(!holdsEntry(labels, { key: 'tier', value: 'frontend' }));
  assert.ok(!holdsEntry(labels, { key: 'team' }));
});

test('a condition holds when True on a status of the current generation', () => {
  const available = judgeCondition(deployment, 'Available');
  assert.ok(available.ok);
  assert.match(available.summary, /Available=True \(MinimumReplicasAvailable: Deployment has minimum availability\.\); Progressing=True/);
  const missing = judgeCondition(deployment, 'Ready');
  assert.ok(!missing.ok);
  assert.match(missing.summary, /^no Ready condition; Available=True/);
  const stale = judgeCondition({ ...deployment, metadata: { ...deployment.metadata, generation: 4 } }, 'Available');
  assert.ok(!stale.ok);
  assert.match(stale.summary, /generation 3, the object is at 4/);
  const unavailable = judgeCondition(
    { metadata: { name: 'x' }, status: { conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] } },
    'Available',
  );
  assert.ok(!unavailable.ok);
  assert.equal(unavailable.summary, 'Available=False (MinimumReplicasUnavailable)');
  assert.equal(judgeCondition(undefined, 'Available').ok, false);
  assert.equal(conditionText({ type: 'Ready', status: 'Unknown' }), 'Ready=Unknown');
});

test('key patterns: case-insensitive unless written /…/flags; a broken one is bad input', () => {
  assert.ok(keyPattern('password|token').test('DB_PASSWORD'));
  assert.ok(!keyPattern('/password/').test('DB_PASSWORD'));
  assert.ok(keyPattern('/^db-/').test('db-host'));
  assert.throws(() => keyPattern('('), BadInputError);
});

// Shapes as the v1.33 API server answers aggregated discovery (apidiscovery.k8s.io/v2).
const aggregatedCore = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: { creationTimestamp: null },
      versions: [
        {
          version: 'v1',
          resources: [
            {
              resource: 'configmaps',
              responseKind: { group: '', version: '', kind: 'ConfigMap' },
              scope: 'Namespaced',
              singularResource: 'configmap',
              shortNames: ['cm'],
              verbs: ['get', 'list', 'watch'],
            },
            {
              resource: 'nodes',
              responseKind: { group: '', version: '', kind: 'Node' },
              scope: 'Cluster',
              singularResource: 'node',
              shortNames: ['no'],
              verbs: ['get'],
            },
            {
              resource: 'persistentvolumeclaims',
              responseKind: { group: '', version: '', kind: 'PersistentVolumeClaim' },
              scope: 'Namespaced',
              singularResource: 'persistentvolumeclaim',
              shortNames: ['pvc'],
              verbs: ['get'],
            },
          ],
        },
      ],
    },
  ],
};
const aggregatedGroups = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: { name: 'autoscaling' },
      versions: [
        {
          version: 'v2',
          resources: [
            {
              resource: 'horizontalpodautoscalers',
              responseKind: { kind: 'HorizontalPodAutoscaler' },
              scope: 'Namespaced',
              singularResource: 'horizontalpodautoscaler',
              shortNames: ['hpa'],
              verbs: ['get'],
            },
          ],
        },
        {
          version: 'v1',
          resources: [
            {
              resource: 'horizontalpodautoscalers',
              responseKind: { kind: 'HorizontalPodAutoscaler' },
              scope: 'Namespaced',
              singularResource: 'horizontalpodautoscaler',
              shortNames: ['hpa'],
              verbs: ['get'],
            },
          ],
        },
      ],
    },
    {
      metadata: { name: 'apiregistration.k8s.io' },
      versions: [
        {
          version: 'v1',
          resources: [
            {
              resource: 'apiservices',
              responseKind: { kind: 'APIService' },
              scope: 'Cluster',
              singularResource: 'apiservice',
              verbs: ['get'],
              subresources: [{ subresource: 'status' }],
            },
          ],
        },
      ],
    },
    {
      metadata: { name: 'events.k8s.io' },
      versions: [
        {
          version: 'v1',
          resources: [
            { resource: 'events', responseKind: { kind: 'Event' }, scope: 'Namespaced', singularResource: 'event', shortNames: ['ev'], verbs: ['get'] },
          ],
        },
      ],
    },
  ],
};

test('aggregated discovery: each kind once, in its preferred version, with scope and plural', () => {
  const core = parseAggregated(aggregatedCore);
  const groups = parseAggregated(aggregatedGroups);
  assert.deepEqual(core[0], {
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    verbs: ['get', 'list', 'watch'],
  });
  assert.equal(groups.filter((r) => r.kind === 'HorizontalPodAutoscaler').length, 1);
  assert.equal(groups.find((r) => r.kind === 'HorizontalPodAutoscaler')?.apiVersion, 'autoscaling/v2');
  assert.equal(groups.find((r) => r.kind === 'APIService')?.namespaced, false);
});

test('a kind word resolves by kind, plural, short name or group; unknown words get the closest kinds', () => {
  const all: ApiResource[] = [
    ...parseAggregated(aggregatedCore),
    ...parseAggregated(aggregatedGroups),
    ...parseResourceList('v1', {
      groupVersion: 'v1',
      kind: 'APIResourceList',
      resources: [{ name: 'events', kind: 'Event', namespaced: true, singularName: 'event', verbs: ['get'] }],
    }),
  ];
  assert.equal(findResource(all, 'ConfigMap')?.plural, 'configmaps');
  assert.equal(findResource(all, 'Configmap')?.plural, 'configmaps');
  assert.equal(findResource(all, 'PVC')?.kind, 'PersistentVolumeClaim');
  assert.equal(findResource(all, 'HPA')?.apiVersion, 'autoscaling/v2');
  assert.equal(findResource(all, 'Event')?.apiVersion, 'events.k8s.io/v1'); // listed before the core one here: first wins
  assert.equal(findResource(all, 'Event.events.k8s.io')?.apiVersion, 'events.k8s.io/v1');
  assert.equal(findResource(all, 'Node.apps'), undefined);
  assert.equal(findResource(all, 'Deploymnet'), undefined);
  assert.deepEqual(closestKinds('Confgmap', ['ConfigMap', 'Node', 'APIService', 'Secret'], 2), ['ConfigMap', 'Node']);
  assert.equal(closestKinds('APISvc', ['ConfigMap', 'APIService'], 1)[0], 'APIService');
});

test('collection paths for namespaced and cluster-scoped kinds', () => {
  const all = [...parseAggregated(aggregatedCore), ...parseAggregated(aggregatedGroups)];
  assert.equal(collectionPath(findResource(all, 'ConfigMap')!, 'shop'), '/api/v1/namespaces/shop/configmaps');
  assert.equal(collectionPath(findResource(all, 'Node')!, 'shop'), '/api/v1/nodes');
  assert.equal(collectionPath(findResource(all, 'HPA')!, 'shop'), '/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers');
  assert.equal(collectionPath(findResource(all, 'APIService')!), '/apis/apiregistration.k8s.io/v1/apiservices');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atMost, formatBytes, formatCpu, parseQuantity, podResource, QUANTITY_PATTERN, quantityValue, sameQuantity } from '../../support/engine/quantity';
import { BadInputError } from '../../support/engine/errors';

test('quantities: CPU in cores, memory in bytes, decimal and binary suffixes', () => {
  assert.equal(parseQuantity('500m').value, 0.5);
  assert.equal(parseQuantity('300m').value, 0.3);
  assert.equal(parseQuantity('2').value, 2);
  assert.equal(parseQuantity('0.25').value, 0.25);
  assert.equal(parseQuantity('128Mi').value, 128 * 1024 * 1024);
  assert.equal(parseQuantity('4Gi').value, 4 * 1024 ** 3);
  assert.equal(parseQuantity('1G').value, 1e9);
  assert.equal(parseQuantity('1k').value, 1000);
  assert.equal(parseQuantity('512Ki').value, 512 * 1024);
  assert.equal(parseQuantity('12345678n').value, 0.012345678);
  assert.equal(parseQuantity('250u').value, 0.00025);
  assert.equal(parseQuantity('1e3').value, 1000);
  assert.equal(parseQuantity('1E').value, 1e18);
  assert.equal(parseQuantity(' 64Mi ').text, '64Mi');
});

test('quantities compare numerically: 500m equals 0.5, 1Gi equals 1024Mi', () => {
  assert.ok(sameQuantity(parseQuantity('500m').value, parseQuantity('0.5').value));
  assert.ok(sameQuantity(parseQuantity('1Gi').value, parseQuantity('1024Mi').value));
  assert.ok(!sameQuantity(parseQuantity('1G').value, parseQuantity('1Gi').value));
  assert.ok(!sameQuantity(parseQuantity('100m').value, parseQuantity('101m').value));
  assert.ok(atMost(0.1 + 0.2, parseQuantity('300m').value));
  assert.ok(!atMost(parseQuantity('301m').value, parseQuantity('300m').value));
  assert.ok(!atMost(Infinity, parseQuantity('2').value));
});

test('what is not a quantity is bad input, naming it', () => {
  for (const bad of ['', 'm', '1.5.2', '2 CPU', '128MiB', '-1', '1x']) {
    assert.throws(
      () => parseQuantity(bad, 'CPU request'),
      (e: unknown) => e instanceof BadInputError && e.message.startsWith(`CPU request: "${bad}" is not a Kubernetes quantity`),
    );
  }
  assert.equal(quantityValue(undefined), undefined);
  assert.equal(quantityValue(''), undefined);
});

test('the parameter pattern takes the whole quantity, binary suffix included', () => {
  const whole = new RegExp(`^(?:${QUANTITY_PATTERN.source})$`);
  for (const ok of ['100m', '2', '0.5', '128Mi', '4Gi', '1G', '1e3']) assert.ok(whole.test(ok), ok);
  assert.equal(new RegExp(QUANTITY_PATTERN.source).exec('request 128Mi memory')?.[0], '128Mi');
});

test('formatting shows CPU as kubectl top does and memory in binary units', () => {
  assert.equal(formatCpu(0.25), '250m');
  assert.equal(formatCpu(0.0042), '4.2m');
  assert.equal(formatCpu(1.5), '1.5');
  assert.equal(formatCpu(Infinity), 'unbounded');
  assert.equal(formatCpu(undefined), '-');
  assert.equal(formatBytes(96 * 2 ** 20), '96Mi');
  assert.equal(formatBytes(1.5 * 2 ** 30), '1.5Gi');
  assert.equal(formatBytes(Infinity), 'unbounded');
});

test("a pod's effective resources: app containers summed, the largest init container, sidecars and overhead", () => {
  const r = (cpu?: string, memory?: string) => ({ resources: { requests: { ...(cpu && { cpu }), ...(memory && { memory }) }, limits: { cpu: '1' } } });
  const spec = {
    containers: [r('100m', '64Mi'), r('200m', '64Mi')],
    initContainers: [{ ...r('500m', '32Mi') }, { ...r('50m', '16Mi'), restartPolicy: 'Always' }],
    overhead: { cpu: '10m' },
  };
  // app 300m + sidecar 50m = 350m < init 500m; + overhead 10m
  assert.ok(sameQuantity(podResource(spec, 'requests', 'cpu'), 0.51));
  // app 128Mi + sidecar 16Mi = 144Mi > init 32Mi
  assert.equal(podResource(spec, 'requests', 'memory'), 144 * 2 ** 20);
  // no container sets a memory limit: unbounded
  assert.equal(podResource(spec, 'limits', 'memory'), Infinity);
  assert.ok(sameQuantity(podResource(spec, 'limits', 'cpu'), 3.01));
  // a missing request counts as nothing
  assert.equal(podResource({ containers: [{}] }, 'requests', 'cpu'), 0);
});

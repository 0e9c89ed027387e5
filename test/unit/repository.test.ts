import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { contentProblem, manifestsUseNamespace, namespaceRows, noSecretsCommitted, repoHasFile, secretsInBlob } from '../../support/checks/repository';
import type { Ctx } from '../../support/checks/shared/context';
import { EvidenceRecorder } from '../../support/engine/evidence/recorder';
import { Redactor } from '../../support/engine/evidence/redact';
import { check } from '../../support/engine/verdict';

// Real git repositories, made by the drills' fixture generator and by git itself.
const GENERATOR = join(__dirname, '..', 'drills', 'fixtures', 'make-platform-repo.sh');
const tmp = mkdtempSync(join(tmpdir(), 'kubeproof-repo-'));
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };

async function platform(name: string, ...args: string[]): Promise<string> {
  const dir = join(tmp, name);
  const r = await execa('bash', [GENERATOR, '--dir', dir, ...args]);
  assert.equal(r.stdout.trim(), `KUBEPROOF_PLATFORM_DIR=${dir}`);
  return dir;
}

const git = (dir: string, ...args: string[]) => execa('git', args, { cwd: dir, env: GIT_ENV });

/** A Ctx for repository checks: they need only the config, evidence and check(). */
function ctx(platformDir: string | undefined): Ctx & { attached: string[] } {
  const attached: string[] = [];
  const evidence = new EvidenceRecorder((data) => void attached.push(String(data)), new Redactor());
  return {
    attached,
    config: { platformDir, kube: {} } as Ctx['config'],
    evidence,
    signal: new AbortController().signal,
    check: (name: string, run: () => Promise<string>) => check(evidence, name, run),
  } as unknown as Ctx & { attached: string[] };
}

async function verdict(p: Promise<'pending' | undefined>): Promise<string> {
  try {
    return (await p) === 'pending' ? 'not verified' : 'passed';
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  }
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

test('contentProblem: empty, blank, and not-what-its-name-says outputs are problems; real PNG/MP4 are not', () => {
  assert.match(contentProblem('outputs/a.png', Buffer.alloc(0))!, /outputs\/a.png is an empty file/);
  assert.match(contentProblem('outputs/a.md', Buffer.from(' \n\t'))!, /only whitespace/);
  assert.match(contentProblem('outputs/a.png', Buffer.from('TODO screenshot'))!, /is not a PNG image: its 15 bytes start with 54 4f 44 4f/);
  assert.match(contentProblem('outputs/v.mp4', PNG)!, /is not an MP4 video/);
  assert.equal(contentProblem('outputs/a.png', PNG), undefined);
  assert.equal(contentProblem('outputs/v.mp4', Buffer.from('\x00\x00\x00\x18ftypisom', 'latin1')), undefined);
  assert.equal(contentProblem('outputs/a.md', Buffer.from('# ok')), undefined);
});

test('secretsInBlob finds Secrets with values, secrets.yaml, keys and tokens — and not placeholders or prose', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: aHVudGVyMjAyNQ==\n  user: ""\n';
  assert.deepEqual(secretsInBlob('k8s/db.yaml', secret).slice(0, 1), ['Secret db with values for password']);
  assert.deepEqual(secretsInBlob('secrets.yaml', ''), ['a secrets.yaml file']);
  assert.deepEqual(secretsInBlob('CA3/k8s/secrets.yml', ''), ['a secrets.yaml file']);
  const pem = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END', 'RSA PRIVATE KEY-----'].join(' ');
  assert.deepEqual(secretsInBlob('certs/influx.key', pem), ['PEM private key']);
  assert.deepEqual(secretsInBlob('notes.txt', 'header eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk'), ['JWT']);
  assert.deepEqual(secretsInBlob('.env', 'INFLUXDB_ADMIN_PASSWORD=conveyor2025'), ['password/token assignment (PASSWORD)']);
  assert.deepEqual(secretsInBlob('scripts/x.sh', 'curl -u x https://admin:s3cretpass9@influx:8086/'), ['password in a URL']);
  // Not secrets: a template's placeholders, a Secret listing names only, prose, env indirections.
  const template = 'kind: Secret\napiVersion: v1\nmetadata: {name: tls}\ndata:\n  tls.crt: ${TLS_CRT}\n  tls.key: <base64 key>\n';
  assert.deepEqual(secretsInBlob('k8s/tls-secret.yaml', template), []);
  const prose = 'Uses Basic authentication. Set password: <your password> or token: $INFLUX_TOKEN; password=$(openssl rand -hex 16)';
  assert.deepEqual(secretsInBlob('README.md', prose), []);
});

test('namespaceRows: unnamespaced, foreign-namespace, other Namespace and foreign binding subjects are flagged; kustomize namespace counts', () => {
  const text = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: conveyor-pipeline}',
    'apiVersion: v1\nkind: Service\nmetadata: {name: b}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: monitoring}',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: d}\nsubjects: [{kind: ServiceAccount, name: prom, namespace: monitoring}]',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: e}',
    'prometheus: {scrape_interval: 15s}',
  ].join('\n---\n');
  const rows = namespaceRows('k8s/all.yaml', text, 'conveyor-pipeline');
  assert.deepEqual(
    rows.map((r) => `${r.kind}/${r.name}:${r.ok}`),
    ['Deployment/a:true', 'Service/b:false', 'ConfigMap/c:false', 'Namespace/monitoring:false', 'ClusterRoleBinding subject/d → prom:false'],
  );
  assert.ok(namespaceRows('k8s/all.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: b}', 'conveyor-pipeline', 'conveyor-pipeline')[0].ok);
});

test('no secrets committed: passes on a clean repository, fails on a Secret deleted from the tree but in history, naming commit and path', async () => {
  const clean = await platform('clean');
  assert.equal(await verdict(noSecretsCommitted(ctx(clean))), 'passed');
  const leaked = await platform('leaked', '--secret-in-history');
  const { stdout: commit } = await git(leaked, 'log', '--format=%H', '--diff-filter=A', '--', 'k8s/influxdb/influxdb-admin-secret.yaml');
  const v = await verdict(noSecretsCommitted(ctx(leaked)));
  assert.match(
    v,
    new RegExp(
      `^failed: .*commit ${commit.trim().slice(0, 12)} k8s/influxdb/influxdb-admin-secret.yaml: Secret influxdb-auth with values for admin-password \\(deleted from the tree since, still in history\\)`,
    ),
  );
  // The old check walked the working tree, where the Secret no longer is; the value itself is never reported.
  assert.doesNotMatch(v, /conveyor-admin-2025|Y29udmV5b3It/);
});

test('no secrets committed: fails when the directory is not a git repository, on staged secrets and without the .gitignore rule', async () => {
  const clean = await platform('plain');
  const copy = join(tmp, 'not-git');
  cpSync(clean, copy, { recursive: true });
  rmSync(join(copy, '.git'), { recursive: true });
  assert.match(await verdict(noSecretsCommitted(ctx(copy))), /^failed: .*not-git is not a git repository/);

  const staged = await platform('staged');
  writeFileSync(join(staged, 'k8s', 'key.pem'), ['-----BEGIN', 'PRIVATE KEY-----\nMIIE\n-----END', 'PRIVATE KEY-----\n'].join(' '));
  await git(staged, 'add', 'k8s/key.pem');
  assert.match(await verdict(noSecretsCommitted(ctx(staged))), /^failed: .*the index \(staged, not committed\) k8s\/key.pem: PEM private key/);

  const unignored = await platform('unignored');
  writeFileSync(join(unignored, '.gitignore'), '*.key\n');
  assert.match(await verdict(noSecretsCommitted(ctx(unignored))), /^failed: .*\.gitignore does not exclude secrets.yaml/);
});

test('no secrets committed: a platform directory inside a larger repository (CA3/) is scanned with its own paths', async () => {
  const outer = join(tmp, 'outer');
  mkdirSync(join(outer, 'CA2'), { recursive: true });
  await execa('bash', [GENERATOR, '--dir', join(outer, 'CA3')]);
  rmSync(join(outer, 'CA3', '.git'), { recursive: true });
  await git(outer, 'init', '-q', '-b', 'main');
  writeFileSync(join(outer, 'CA2', 'secrets.yaml'), 'kind: Secret\n');
  await git(outer, 'add', '-A');
  await git(outer, 'commit', '-qm', 'CA2 and CA3');
  // CA2's secrets.yaml is outside the platform directory: not this platform's submission.
  assert.equal(await verdict(noSecretsCommitted(ctx(join(outer, 'CA3')))), 'passed');
  writeFileSync(join(outer, 'CA3', 'k8s', 'secrets.yaml'), 'kind: Secret\n');
  await git(outer, 'add', '-Af', 'CA3/k8s/secrets.yaml');
  await git(outer, 'commit', '-qm', 'oops');
  await git(outer, 'rm', '-q', '--cached', 'CA3/k8s/secrets.yaml');
  await git(outer, 'commit', '-qm', 'untrack');
  assert.match(await verdict(noSecretsCommitted(ctx(join(outer, 'CA3')))), /^failed: .*commit [0-9a-f]{12} k8s\/secrets.yaml: a secrets.yaml file/);
});

test('a required output must be a non-empty file of its type; an empty one fails naming it', async () => {
  const clean = await platform('outputs');
  for (const f of ['outputs/grafana-dashboard.png', 'outputs/resilience-drill.mp4', 'outputs/operator-procedures.md', 'outputs'])
    assert.equal(await verdict(repoHasFile(ctx(clean), f)), 'passed', f);
  const empty = await platform('empty', '--empty-output', 'resilience-drill.mp4');
  assert.match(await verdict(repoHasFile(ctx(empty), 'outputs/resilience-drill.mp4')), /^failed: outputs\/resilience-drill.mp4 is an empty file \(0 bytes\)/);
  writeFileSync(join(clean, 'outputs', 'hpa-scaling.png'), 'screenshot goes here');
  assert.match(await verdict(repoHasFile(ctx(clean), 'outputs/hpa-scaling.png')), /^failed: outputs\/hpa-scaling.png is not a PNG image/);
  mkdirSync(join(clean, 'empty-dir', 'sub'), { recursive: true });
  writeFileSync(join(clean, 'empty-dir', 'sub', 'x'), '');
  assert.match(await verdict(repoHasFile(ctx(clean), 'empty-dir')), /^failed: empty-dir is a directory with no non-empty file/);
  assert.equal(await verdict(repoHasFile(ctx(undefined), 'outputs')), 'not verified');
});

test("M1's namespace check reads the platform repository's manifests: passes on the fixture, fails on an object elsewhere", async () => {
  const repo = await platform('namespaces');
  assert.equal(await verdict(manifestsUseNamespace(ctx(repo), 'k8s', 'conveyor-pipeline')), 'passed');
  writeFileSync(join(repo, 'k8s', 'prometheus', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stray, namespace: default}\n');
  assert.match(
    await verdict(manifestsUseNamespace(ctx(repo), 'k8s', 'conveyor-pipeline')),
    /^failed: 1 of \d+ object\(s\) under k8s do not reference conveyor-pipeline: k8s\/prometheus\/extra.yaml ConfigMap\/stray \(default\)/,
  );
  writeFileSync(join(repo, 'k8s', 'prometheus', 'kustomization.yaml'), 'namespace: conveyor-pipeline\nresources: [extra.yaml]\n');
  assert.equal(await verdict(manifestsUseNamespace(ctx(repo), 'k8s', 'conveyor-pipeline')), 'passed', 'a kustomization namespace overrides');
  assert.match(await verdict(manifestsUseNamespace(ctx(repo), 'manifests', 'conveyor-pipeline')), /^failed: manifests is missing from the platform repository/);
  assert.equal(await verdict(manifestsUseNamespace(ctx(undefined), 'k8s', 'conveyor-pipeline')), 'not verified');
});

after(() => rmSync(tmp, { recursive: true, force: true }));

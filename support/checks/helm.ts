import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  decodeHelmRelease,
  HELM_RELEASE_SECRET_TYPE,
  HelmCli,
  type HelmRelease,
  type HelmRun,
  helmValueAt,
  helmValueText,
  secretLooking,
  valuePath,
} from '../clients/helm';
import { BadInputError, errorText, formatDuration } from '../engine/errors';
import { REDACTION_MASK } from '../engine/evidence/redact';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { intoNamespace, serverSideDryRun } from './shared/dry-run';
import { platformNamespace, scenarioNamespace } from './shared/namespace';

/**
 * Helm releases and charts. A release is read from its record in the cluster (the Secrets
 * sh.helm.release.v1.<name>.v<revision>, no helm binary needed); installing, upgrading,
 * rolling back, linting and rendering run the Helm CLI against the run's cluster.
 */

/** Everything helm waits for (--wait) is bounded by the rollout timeout; helm itself is killed a little later. */
const HELM_GRACE_MS = 30_000;

function helm(ctx: Ctx): HelmCli {
  return new HelmCli({ kubeconfig: ctx.config.kube.kubeconfig, context: ctx.config.kube.context });
}

function key(namespace: string, release: string): string {
  return `${namespace}/${release}`;
}

/** Every revision of every release (or of one) in the namespace, oldest first, from the release Secrets. */
async function releaseRecords(ctx: Ctx, namespace: string, release?: string): Promise<{ secrets: number; records: HelmRelease[] }> {
  const k = ctx.clients.kube();
  // By type, not only by Helm's labels: a record whose labels were edited is still a release.
  const secrets: V1Secret[] = (await k.core.listNamespacedSecret({ namespace, fieldSelector: `type=${HELM_RELEASE_SECRET_TYPE}` })).items;
  const records: HelmRelease[] = [];
  for (const s of secrets) {
    const data = s.data?.release;
    if (!data) throw new Error(`Secret ${namespace}/${s.metadata?.name} (type ${HELM_RELEASE_SECRET_TYPE}) has no "release" key: not a Helm 3 release record`);
    try {
      records.push(decodeHelmRelease(data));
    } catch (e) {
      throw new Error(`Secret ${namespace}/${s.metadata?.name} does not decode as a Helm release (base64, gzip, JSON): ${errorText(e)}`, { cause: e });
    }
  }
  return {
    secrets: secrets.length,
    records: records.filter((r) => !release || r.name === release).sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version),
  };
}

/** The release's revision history as `helm history` shows it: revision, status, chart, app version. */
async function historyEvidence(ctx: Ctx, namespace: string, release: string, records: HelmRelease[]): Promise<void> {
  await ctx.evidence.table(
    `Helm release ${namespace}/${release}: revision history (from the Secrets sh.helm.release.v1.${release}.v*)`,
    records.map((r) => ({
      revision: r.version,
      updated: r.info.last_deployed ?? '',
      status: r.info.status,
      chart: `${r.chart.metadata.name}-${r.chart.metadata.version}`,
      'app version': r.chart.metadata.appVersion ?? '',
      description: r.info.description ?? '',
    })),
  );
}

/** The latest revision of a release; fails naming the releases the namespace does hold. */
async function latestRevision(ctx: Ctx, namespace: string, release: string): Promise<{ latest: HelmRelease; history: HelmRelease[] }> {
  const { records } = await releaseRecords(ctx, namespace);
  const history = records.filter((r) => r.name === release);
  if (!history.length) {
    const others = [...new Set(records.map((r) => r.name))];
    throw new Error(
      `no Helm release ${release} in namespace ${namespace}: no Secret sh.helm.release.v1.${release}.v* (releases there: ${others.length ? others.join(', ') : 'none'})`,
    );
  }
  await historyEvidence(ctx, namespace, release, history);
  return { latest: history[history.length - 1], history };
}

function seen(ctx: Ctx, namespace: string, release: string, revision: number): void {
  const releases = (ctx.state.helmReleases ??= new Map());
  releases.set(key(namespace, release), { ...releases.get(key(namespace, release)), seenRevision: revision });
}

function chartText(r: HelmRelease): string {
  return `chart ${r.chart.metadata.name}-${r.chart.metadata.version}${r.chart.metadata.appVersion ? `, app version ${r.chart.metadata.appVersion}` : ''}`;
}

/** "the Helm release `auth-service` is deployed" (… "at chart version `0.1.0`"): its latest revision has the status deployed. */
export function releaseDeployed(ctx: Ctx, release: string, chartVersion?: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Helm release ${release} is deployed${chartVersion ? ` at chart version ${chartVersion}` : ''}`, async () => {
    const { latest } = await latestRevision(ctx, namespace, release);
    if (latest.info.status !== 'deployed')
      throw new Error(
        `Helm release ${namespace}/${release} is ${latest.info.status} at revision ${latest.version} (${chartText(latest)}), not deployed: ${latest.info.description ?? 'no description'}`,
      );
    seen(ctx, namespace, release, latest.version);
    if (chartVersion !== undefined && latest.chart.metadata.version !== chartVersion)
      throw new Error(
        `Helm release ${namespace}/${release} is deployed at chart version ${latest.chart.metadata.version} (${chartText(latest)}, revision ${latest.version}), not ${chartVersion}`,
      );
    return `revision ${latest.version} deployed (${chartText(latest)}) since ${latest.info.last_deployed ?? '?'}`;
  });
}

/** "the Helm release `auth-service` has the value `replicaCount` set to `2`": the computed values (given over the chart's defaults). */
export function releaseHasValue(ctx: Ctx, release: string, path: string, expected: string): StepResult {
  const namespace = platformNamespace(ctx);
  const secret = secretLooking(path);
  if (secret) ctx.evidence.redactor.add(expected);
  const shown = (v: string) => (secret ? REDACTION_MASK : v);
  return ctx.check(`Helm release ${release} has the value ${path} set to ${shown(expected)}`, async () => {
    valuePath(path);
    const { latest } = await latestRevision(ctx, namespace, release);
    if (latest.info.status !== 'deployed')
      throw new Error(
        `Helm release ${namespace}/${release} is ${latest.info.status} at revision ${latest.version}, not deployed: its values were never applied`,
      );
    seen(ctx, namespace, release, latest.version);
    const v = helmValueAt(latest, path);
    const actual = v.found ? helmValueText(v.value) : undefined;
    if (secret && actual) ctx.evidence.redactor.add(actual);
    await ctx.evidence.text(
      `value ${path} of Helm release ${namespace}/${release}, revision ${latest.version}`,
      v.found
        ? `${path} = ${shown(actual!)}   (${v.source === 'given' ? 'given at install/upgrade' : `the default of ${chartText(latest)}`})`
        : `${path} is not set`,
    );
    if (!v.found)
      throw new Error(
        `Helm release ${namespace}/${release} (revision ${latest.version}) has no value ${path}: neither given nor a default of ${chartText(latest)}`,
      );
    if (actual !== expected)
      throw new Error(
        `Helm release ${namespace}/${release} (revision ${latest.version}) has ${path} set to ${shown(actual!)} (${v.source}), not ${shown(expected)}`,
      );
    return `${path} = ${shown(actual)} (${v.source}) at revision ${latest.version}`;
  });
}

/** "no Helm release remains in the namespace" — after a release was seen there in this scenario (else an empty list proves nothing). */
export function noReleaseRemains(ctx: Ctx): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`no Helm release remains in namespace ${namespace}`, async () => {
    const seenHere = [...(ctx.state.helmReleases?.keys() ?? [])].filter((k) => k.startsWith(`${namespace}/`));
    if (!seenHere.length)
      throw new BadInputError(
        `no Helm release was seen in namespace ${namespace} earlier in this scenario, so finding none now proves nothing`,
        'first install one or check one (Then the Helm release `…` is deployed), then tear down',
      );
    const { secrets, records } = await releaseRecords(ctx, namespace);
    const latest = new Map(records.map((r) => [r.name, r]));
    await ctx.evidence.table(
      `Helm release records in ${namespace} (${secrets} Secret(s) of type ${HELM_RELEASE_SECRET_TYPE})`,
      [...latest.values()].map((r) => ({ release: r.name, revision: r.version, status: r.info.status, chart: chartText(r) })),
    );
    if (latest.size)
      throw new Error(
        `${latest.size} Helm release(s) remain in namespace ${namespace}: ${[...latest.values()].map((r) => `${r.name} (revision ${r.version}, ${r.info.status}, ${chartText(r)})`).join('; ')}`,
      );
    return `no release Secret left in ${namespace}; earlier in the scenario it held ${seenHere.map((k) => k.split('/')[1]).join(', ')}`;
  });
}

// ─── the Helm CLI ─────────────────────────────────────────────────────────

async function helmEvidence(ctx: Ctx, title: string, run: HelmRun): Promise<void> {
  await ctx.evidence.text(
    title,
    [`$ ${run.command}`, `exit ${run.exitCode ?? '-'} after ${formatDuration(run.durationMs)}`, run.stdout.trim(), run.stderr.trim()]
      .filter(Boolean)
      .join('\n'),
  );
}

/** helm's own error ("Error: …" and the lines after it, such as "* Service … is invalid"), else the end of its output. */
function helmError(run: HelmRun): string {
  const lines = `${run.stderr}\n${run.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const from = lines.findIndex((l) => l.startsWith('Error:'));
  return (from >= 0 ? lines.slice(from) : lines.slice(-3)).join(' ') || `exit code ${run.exitCode}`;
}

function existingPath(what: string, path: string): string {
  if (!existsSync(path)) throw new BadInputError(`${what} ${path} not found (relative to ${process.cwd()})`, 'give the path from the project directory');
  return path;
}

/**
 * Values files as `-f` arguments, in order (later ones win, as with helm): "values-lab.yaml, fixtures/small.yaml";
 * each as given, or relative to the chart (`values-lab.yaml` beside Chart.yaml).
 */
function valuesArgs(chart: string, values: string): string[] {
  return values
    .split(/\s*,\s*/)
    .filter(Boolean)
    .flatMap((v) => {
      if (existsSync(v)) return ['-f', v];
      const inChart = join(chart, v);
      if (existsSync(inChart)) return ['-f', inChart];
      throw new BadInputError(`values file ${v} not found (relative to ${process.cwd()} nor to the chart ${chart})`);
    });
}

/** The values files of `-f` arguments, for messages. */
function filesOf(args: string[]): string {
  return args.filter((_, i) => args[i - 1] === '-f').join(', ');
}

/** Helm's view of the release after an action, from the cluster: the history, and the latest revision deployed. */
async function afterAction(ctx: Ctx, namespace: string, release: string, action: string): Promise<HelmRelease> {
  const { latest } = await latestRevision(ctx, namespace, release);
  if (latest.info.status !== 'deployed')
    throw new Error(
      `after ${action}, Helm release ${namespace}/${release} is ${latest.info.status} at revision ${latest.version}: ${latest.info.description ?? ''}`,
    );
  seen(ctx, namespace, release, latest.version);
  return latest;
}

/** Uninstalls at scenario cleanup (without --wait: the namespace's deletion follows); "not found" is done. */
function registerUninstall(ctx: Ctx, namespace: string, release: string): void {
  ctx.cleanup.push(`helm uninstall ${release} -n ${namespace}`, async () => {
    const run = await helm(ctx).run(['uninstall', release, '-n', namespace], ctx.config.timeouts.cleanup);
    if (!run.ok && !/not found/i.test(`${run.stderr}${run.stdout}`)) throw new Error(`helm uninstall ${release}: ${helmError(run)}`);
  });
}

/**
 * "the Helm chart `charts/auth-service` is installed as `auth` with the values `values-lab.yaml`" (… "in the
 * namespace `restore`", else the scenario's) — helm install --wait, bounded; uninstalled at cleanup.
 */
export async function installChart(ctx: Ctx, chart: string, release: string, values: string, into?: string): Promise<void> {
  existingPath('chart', chart);
  const valueArgs = valuesArgs(chart, values);
  const namespace = into ?? (await scenarioNamespace(ctx));
  const bound = ctx.config.timeouts.rollout;
  const cli = helm(ctx);
  cli.resolveBinary();
  registerUninstall(ctx, namespace, release);
  const run = await cli.run(
    ['install', release, chart, '-n', namespace, ...valueArgs, '--wait', '--timeout', `${Math.round(bound / 1000)}s`],
    bound + HELM_GRACE_MS,
    ctx.signal,
  );
  await helmEvidence(ctx, `helm install ${release}`, run);
  if (!run.ok)
    throw new Error(
      `helm install ${release} (chart ${chart}, values ${filesOf(valueArgs)}) into ${namespace} failed after ${formatDuration(run.durationMs)}: ${helmError(run)}`,
    );
  (ctx.state.helmReleases ??= new Map()).set(key(namespace, release), { chart });
  const latest = await afterAction(ctx, namespace, release, 'helm install');
  await ctx.evidence.log(`helm install ${release}: revision ${latest.version} deployed (${chartText(latest)}) in ${formatDuration(run.durationMs)}`);
}

/** "the Helm release `auth` is upgraded with the value `replicaCount` set to `3`" — helm upgrade --reuse-values --set, with the chart it was installed from. */
export async function upgradeRelease(ctx: Ctx, release: string, path: string, value: string): Promise<void> {
  valuePath(path);
  if (secretLooking(path)) ctx.evidence.redactor.add(value);
  const namespace = platformNamespace(ctx);
  const chart = ctx.state.helmReleases?.get(key(namespace, release))?.chart;
  if (!chart)
    throw new BadInputError(
      `Helm release ${release} was not installed from a chart in this scenario, so which chart to upgrade it with is unknown`,
      'install it first: When the Helm chart `…` is installed as `…` with the values `…`',
    );
  const before = (await latestRevision(ctx, namespace, release)).latest.version;
  const bound = ctx.config.timeouts.rollout;
  const run = await helm(ctx).run(
    ['upgrade', release, chart, '-n', namespace, '--reuse-values', '--set', `${path}=${value}`, '--wait', '--timeout', `${Math.round(bound / 1000)}s`],
    bound + HELM_GRACE_MS,
    ctx.signal,
  );
  await helmEvidence(ctx, `helm upgrade ${release}`, run);
  if (!run.ok) throw new Error(`helm upgrade ${release} (set ${path}) in ${namespace} failed after ${formatDuration(run.durationMs)}: ${helmError(run)}`);
  const latest = await afterAction(ctx, namespace, release, 'helm upgrade');
  await ctx.evidence.log(`helm upgrade ${release}: revision ${before} → ${latest.version} deployed in ${formatDuration(run.durationMs)}`);
}

/** "the Helm release `auth` is rolled back to revision 1" — helm rollback --wait, bounded; a revision the history lacks is named with those it has. */
export async function rollbackRelease(ctx: Ctx, release: string, revision: number): Promise<void> {
  const namespace = platformNamespace(ctx);
  const { latest: before, history } = await latestRevision(ctx, namespace, release);
  if (!history.some((r) => r.version === revision))
    throw new Error(
      `Helm release ${namespace}/${release} has no revision ${revision} to roll back to (revisions: ${history.map((r) => `${r.version} ${r.info.status}`).join(', ')})`,
    );
  const bound = ctx.config.timeouts.rollout;
  const run = await helm(ctx).run(
    ['rollback', release, String(revision), '-n', namespace, '--wait', '--timeout', `${Math.round(bound / 1000)}s`],
    bound + HELM_GRACE_MS,
    ctx.signal,
  );
  await helmEvidence(ctx, `helm rollback ${release} ${revision}`, run);
  if (!run.ok)
    throw new Error(`helm rollback ${release} to revision ${revision} in ${namespace} failed after ${formatDuration(run.durationMs)}: ${helmError(run)}`);
  const latest = await afterAction(ctx, namespace, release, `helm rollback to ${revision}`);
  await ctx.evidence.log(
    `helm rollback ${release}: revision ${before.version} → ${latest.version} (a copy of revision ${revision}, ${chartText(latest)}) in ${formatDuration(run.durationMs)}`,
  );
}

/** "the Helm release `auth` is uninstalled" — helm uninstall --wait, bounded. */
export async function uninstallRelease(ctx: Ctx, release: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const { latest } = await latestRevision(ctx, namespace, release);
  seen(ctx, namespace, release, latest.version);
  const bound = ctx.config.timeouts.rollout;
  const run = await helm(ctx).run(
    ['uninstall', release, '-n', namespace, '--wait', '--timeout', `${Math.round(bound / 1000)}s`],
    bound + HELM_GRACE_MS,
    ctx.signal,
  );
  await helmEvidence(ctx, `helm uninstall ${release}`, run);
  if (!run.ok) throw new Error(`helm uninstall ${release} in ${namespace} failed after ${formatDuration(run.durationMs)}: ${helmError(run)}`);
  await ctx.evidence.log(`helm uninstall ${release}: revision ${latest.version} (${chartText(latest)}) uninstalled in ${formatDuration(run.durationMs)}`);
}

/** "the Helm chart `charts/auth-service` passes lint" — helm lint's own verdict; its warnings are in the report. */
export function chartPassesLint(ctx: Ctx, chart: string): StepResult {
  return ctx.check(`Helm chart ${chart} passes lint`, async () => {
    existingPath('chart', chart);
    const run = await helm(ctx).run(['lint', chart], ctx.config.timeouts.assert, ctx.signal);
    await helmEvidence(ctx, `helm lint ${chart}`, run);
    const out = `${run.stdout}\n${run.stderr}`;
    const findings = (level: string) =>
      out
        .split('\n')
        .filter((l) => l.trim().startsWith(`[${level}]`))
        .map((l) => l.trim());
    const errors = findings('ERROR');
    if (!run.ok) throw new Error(`helm lint ${chart} failed: ${errors.length ? errors.join('; ') : helmError(run)}`);
    const warnings = findings('WARNING');
    return `${/(\d+) chart\(s\) linted, 0 chart\(s\) failed/.exec(out)?.[0] ?? 'lint passed'}${warnings.length ? `; warnings: ${warnings.join('; ')}` : ''}`;
  });
}

/**
 * "the Helm chart `charts/auth-service` with the values `values-lab.yaml` renders objects accepted by a server-side dry run"
 * — helm template (as the scenario's namespace) → every rendered object through a server-side dry-run apply.
 */
export function chartRenderAcceptedByDryRun(ctx: Ctx, chart: string, values: string): StepResult {
  return ctx.check(`Helm chart ${chart} with the values ${values} renders objects the API server accepts in a server-side dry run`, async () => {
    existingPath('chart', chart);
    const valueArgs = valuesArgs(chart, values);
    const file = filesOf(valueArgs);
    const namespace = await scenarioNamespace(ctx);
    const release = ctx.unique('render');
    const run = await helm(ctx).run(['template', release, chart, '-n', namespace, ...valueArgs], ctx.config.timeouts.assert, ctx.signal);
    await helmEvidence(ctx, `helm template ${chart}`, { ...run, stdout: `(${run.stdout.length} characters of YAML, kinds below)` });
    if (!run.ok) throw new Error(`helm template ${chart} with ${file} failed: ${helmError(run)}`);
    const objects = intoNamespace(renderedObjects(run.stdout, chart), namespace);
    if (!objects.length) throw new Error(`helm template ${chart} with ${file} rendered no object`);
    const kinds = new Map<string, number>();
    for (const o of objects) kinds.set(o.kind ?? '?', (kinds.get(o.kind ?? '?') ?? 0) + 1);
    await ctx.evidence.table(
      `kinds rendered by ${chart} with ${file}`,
      [...kinds].map(([kind, count]) => ({ kind, count })),
    );
    return serverSideDryRun(ctx, objects, `${chart} rendered with ${file}`);
  });
}

/** The objects of helm template's output (as rendered: no placeholders filled, empty documents skipped). */
function renderedObjects(yaml: string, chart: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    if (doc.errors.length) throw new Error(`helm template ${chart} rendered invalid YAML: ${doc.errors[0].message}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (obj) objects.push(obj);
  }
  return objects;
}

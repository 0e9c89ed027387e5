import type { CoreV1Event, V1ConfigMap, V1Node } from '@kubernetes/client-node';
import { type ApiResource, type RawObject, statusCode } from '../clients/kube/client';
import { collectionPath } from '../clients/kube/discovery';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { BadInputError, errorText, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { type Observation, waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { jsonPathMatches } from './shared/jsonpath';
import { applyFixture, platformNamespace, scenarioNamespace } from './shared/namespace';
import { timelineText } from './shared/timeline';
import { holdsEntry, parseLabelSpec } from './shared/labels';

/**
 * Kubernetes objects of any kind the API server serves (CRDs included): applied from a manifest,
 * existing, labelled, a field by JSONPath, a status condition, events; nodes and the cluster's
 * version; ConfigMap keys and contents; Secrets by their keys only.
 */

export async function applyManifest(ctx: Ctx, file: string): Promise<void> {
  await applyFixture(ctx, file);
}

/* ------------------------------------------------------------ locating objects */

/** An object named in a step: its kind as discovery resolved it, its namespace (none when cluster-scoped). */
interface Located {
  r: ApiResource;
  name: string;
  namespace?: string;
  /** "Deployment shop/api", "Namespace kube-system". */
  label: string;
}

async function locate(ctx: Ctx, kindWord: string, name: string): Promise<Located> {
  const r = await ctx.clients.kube().discovery.resolve(kindWord);
  const namespace = r.namespaced ? platformNamespace(ctx) : undefined;
  return { r, name, namespace, label: `${r.kind} ${namespace ? `${namespace}/` : ''}${name}` };
}

async function readObject(ctx: Ctx, at: Located): Promise<RawObject> {
  const obj = await ctx.clients.kube().readRaw(at.r, at.name, at.namespace);
  if (!obj) throw new Error(`${at.label} does not exist (${at.r.apiVersion} ${at.r.plural})`);
  protectSecret(ctx, at, obj);
  return obj;
}

const isSecret = (r: ApiResource) => r.group === '' && r.kind === 'Secret';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A Secret's values (and its last-applied annotation, which holds them too) go to the redactor before anything is shown. */
function protectSecret(ctx: Ctx, at: Located, obj: RawObject): void {
  if (!isSecret(at.r)) return;
  for (const v of Object.values((obj.data as Record<string, string> | undefined) ?? {})) {
    ctx.evidence.redactor.add(v);
    ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
  }
  ctx.evidence.redactor.add(obj.metadata?.annotations?.[LAST_APPLIED]);
}

/* --------------------------------------------------------------- exists, events */

/** An object of any served kind exists (a Secret shows its keys, never its values). */
export function objectExists(ctx: Ctx, kindWord: string, name: string): StepResult {
  return ctx.check(`${kindWord} ${name} exists`, async () => {
    const at = await locate(ctx, kindWord, name);
    const obj = await readObject(ctx, at);
    const spec = obj.spec as { type?: string; clusterIP?: string; ports?: { name?: string; port: number; nodePort?: number; protocol?: string }[] } | undefined;
    const summary = isSecret(at.r)
      ? `type ${String(obj.type)}, keys: ${Object.keys((obj.data as object | undefined) ?? {}).join(', ')}`
      : at.r.kind === 'Service' && at.r.group === ''
        ? `type ${spec?.type}, clusterIP ${spec?.clusterIP}, ports ${(spec?.ports ?? []).map((p) => `${p.name ?? ''}${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', ')}`
        : `created ${obj.metadata?.creationTimestamp}`;
    return `${at.label} (${at.r.apiVersion}): ${summary}`;
  });
}

/** An event with the reason was recorded for the object (e.g. an HPA's SuccessfulRescale, as `kubectl describe` shows). */
export function objectHasEvent(ctx: Ctx, kindWord: string, name: string, reason: string): StepResult {
  return ctx.check(`${kindWord} ${name} has a ${reason} event`, async () => {
    const at = await locate(ctx, kindWord, name);
    const k = ctx.clients.kube();
    const mine = (e: CoreV1Event) => e.involvedObject.kind === at.r.kind && e.involvedObject.name === name;
    // Events about cluster-scoped objects land in whichever namespace their reporter chose (often default).
    const events = at.namespace
      ? (await k.events(at.namespace)).filter(mine)
      : (await k.core.listEventForAllNamespaces({ fieldSelector: `involvedObject.kind=${at.r.kind},involvedObject.name=${name}` })).items
          .filter(mine)
          .sort((a, b) => eventMs(a) - eventMs(b));
    await ctx.evidence.table(
      `events of ${at.label}`,
      events.map((e) => ({ time: new Date(eventMs(e)).toISOString(), type: e.type, reason: e.reason, count: e.count ?? 1, message: e.message })),
    );
    const hits = events.filter((e) => e.reason === reason);
    if (!hits.length) throw new Error(`${at.label} has no ${reason} event; its events: ${[...new Set(events.map((e) => e.reason))].join(', ') || 'none'}`);
    return hits.map((e) => `${new Date(eventMs(e)).toISOString()} ${e.message}`).join('; ');
  });
}

const eventMs = (e: CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();

/* --------------------------------------------------------- labels, annotations */

/** The object carries the label (`key=value`, or `key` with any value); failing, it says which labels it has. */
export function objectHasLabel(ctx: Ctx, kindWord: string, name: string, spec: string): StepResult {
  return objectHasEntry(ctx, kindWord, name, spec, 'label');
}

/** The object carries the annotation (`key=value`, or `key` with any value); a Secret's annotation values are never shown. */
export function objectHasAnnotation(ctx: Ctx, kindWord: string, name: string, spec: string): StepResult {
  return objectHasEntry(ctx, kindWord, name, spec, 'annotation');
}

function objectHasEntry(ctx: Ctx, kindWord: string, name: string, spec: string, what: 'label' | 'annotation'): StepResult {
  return ctx.check(`${kindWord} ${name} has the ${what} ${spec}`, async () => {
    const want = parseLabelSpec(spec);
    const at = await locate(ctx, kindWord, name);
    const obj = await readObject(ctx, at);
    const entries = ((what === 'label' ? obj.metadata?.labels : obj.metadata?.annotations) ?? {}) as Record<string, string>;
    const shown = (key: string, v: string) =>
      what === 'annotation' && (isSecret(at.r) || key === LAST_APPLIED)
        ? `(withheld, ${Buffer.byteLength(v)} bytes)`
        : v.length > 200
          ? `${v.slice(0, 200)}…`
          : v;
    const rows = Object.entries(entries).map(([key, v]) => ({ key, value: shown(key, v) }));
    await ctx.evidence.table(`${what}s of ${at.label}`, rows);
    if (!holdsEntry(entries, want)) {
      const has = rows.map((r) => `${r.key}=${r.value}`).join(', ') || `no ${what}s`;
      const detail = want.key in entries ? `its ${what} ${want.key} is ${shown(want.key, entries[want.key])}` : `it has ${has}`;
      throw new Error(`${at.label} lacks the ${what} ${spec}; ${detail}`);
    }
    return `${at.label}: ${want.key}=${shown(want.key, entries[want.key])}`;
  });
}

/* ------------------------------------------------------------------- JSONPath */

/**
 * A field path as written in a step, as a JSONPath: `spec.replicas`, `.spec.replicas`,
 * `{.spec.replicas}` (kubectl) and `$.spec.replicas` all name the same field; kubectl's
 * escaped dots (`metadata.labels.app\.kubernetes\.io/name`) become a bracketed key.
 */
export function normalizeFieldPath(path: string): string {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (!p || p === '$') throw new BadInputError(`"${path}" names no field`, 'write a path like spec.replicas or status.conditions[?(@.type=="Ready")].status');
  if (p.includes('\\.')) p = bracketEscapedDots(p);
  if (p.startsWith('$')) return p;
  return p.startsWith('.') || p.startsWith('[') ? `$${p}` : `$.${p}`;
}

function bracketEscapedDots(p: string): string {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && p[i + 1] === '.' && depth === 0) {
      current += '\uE000';
      i++;
      continue;
    }
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      segments.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  segments.push(current);
  return segments
    .map((s, i) => {
      if (!s.includes('\uE000')) return i === 0 ? s : `.${s}`;
      const [, key, rest] = /^([^[]*)(.*)$/.exec(s)!;
      return `['${key.replace(/\uE000/g, '.').replace(/'/g, "\\'")}']${rest}`;
    })
    .join('');
}

/** What a path selects in an object: nothing, one value, or (several matches) the list of them. */
export function selectField(obj: unknown, path: string): { found: boolean; value: unknown } {
  const matches = jsonPathMatches(obj, path, 'spec.replicas or status.conditions[?(@.type=="Ready")].status');
  if (matches.length === 0) return { found: false, value: undefined };
  return { found: true, value: matches.length === 1 ? matches[0] : matches };
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

/** A field equals the text of a step: a string as written, a number or boolean by its value, a map or list as JSON. */
export function fieldEquals(value: unknown, expected: string): boolean {
  if (typeof value === 'string') return value === expected;
  if (typeof value === 'number') return expected.trim() !== '' && Number(expected) === value;
  if (typeof value === 'boolean') return String(value) === expected.trim();
  try {
    return canonical(value) === canonical(JSON.parse(expected));
  } catch {
    return false;
  }
}

/** A number, or a string holding one (`"3"`); NaN otherwise. */
export function fieldNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() && Number.isFinite(Number(value))) return Number(value);
  return NaN;
}

function shownValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** Of a Secret only names, labels and type are shown; every other value is withheld. */
function fieldShown(at: Located, path: string, v: unknown): string {
  if (isSecret(at.r) && !/^\$\.(type|metadata\.(name|namespace|uid|labels|creationTimestamp|generation|resourceVersion))\b/.test(path))
    return '(Secret value withheld)';
  return shownValue(v);
}

type FieldWant = { kind: 'equals'; text: string } | { kind: 'compares'; cmp: Comparison; value: number } | { kind: 'set' };

function describeWant(want: FieldWant): string {
  return want.kind === 'equals' ? `is ${JSON.stringify(want.text)}` : want.kind === 'compares' ? `is ${describeComparison(want.cmp, want.value)}` : 'is set';
}

/** Judges one look at the object; the summary says the value seen either way. */
function judgeField(at: Located, path: string, want: FieldWant, obj: RawObject | undefined): Observation<unknown> {
  if (!obj) return { ok: false, summary: `${at.label} does not exist` };
  const { found, value } = selectField(obj, path);
  if (!found || value === null) return { ok: false, summary: `${path} is not set${found ? ' (null)' : ''}` };
  const seen = `${path} is ${fieldShown(at, path, value)}`;
  if (want.kind === 'set') return { ok: true, value, summary: seen };
  if (want.kind === 'equals') return { ok: fieldEquals(value, want.text), value, summary: seen };
  const n = fieldNumber(value);
  if (Number.isNaN(n)) return { ok: false, value, summary: `${seen}: not a number` };
  return { ok: compare(n, want.cmp, want.value), value, summary: seen };
}

/** Waits, through a watch on the object, until the judge is satisfied; evidence: each distinct state seen, passed or not. */
async function waitForObject<T>(
  ctx: Ctx,
  at: Located,
  what: string,
  withinMs: number,
  holdMs: number | undefined,
  judge: (obj: RawObject | undefined) => Observation<T>,
) {
  const k = ctx.clients.kube();
  const started = performance.now();
  const seen: { atMs: number; summary: string }[] = [];
  const look = (o: RawObject | undefined) => {
    if (o) protectSecret(ctx, at, o);
    const obs = judge(o);
    if (seen.at(-1)?.summary !== obs.summary) seen.push({ atMs: performance.now() - started, summary: obs.summary });
    return obs;
  };
  try {
    return await waitUntil<T>({
      what,
      timeoutMs: withinMs,
      holdMs,
      signal: ctx.signal,
      watch: k.watchJudged(collectionPath(at.r, at.namespace), { fieldSelector: `metadata.name=${at.name}` }, look),
      check: async () => look(await k.readRaw(at.r, at.name, at.namespace)),
    });
  } finally {
    await ctx.evidence.text(`${at.label}: states seen (${at.r.apiVersion} ${at.r.plural}, watched)`, timelineText(seen) || 'nothing seen');
  }
}

async function fieldWithin(ctx: Ctx, rawPath: string, kindWord: string, name: string, want: FieldWant, withinMs: number): Promise<string> {
  const path = normalizeFieldPath(rawPath);
  selectField({}, path); // a path that cannot be evaluated is bad input, before any wait
  const at = await locate(ctx, kindWord, name);
  const r = await waitForObject(ctx, at, `the field ${path} of ${at.label} to be ${describeWant(want).replace(/^is /, '')}`, withinMs, undefined, (o) =>
    judgeField(at, path, want, o),
  );
  return `${r.summary} (${at.r.apiVersion}) after ${formatDuration(r.elapsedMs)}`;
}

/** "the field `spec.replicas` of the Deployment `api` is `3` within 1m": noticed through a watch on the object. */
export function fieldIs(ctx: Ctx, path: string, kindWord: string, name: string, expected: string, withinMs: number): StepResult {
  return ctx.check(`field ${path} of ${kindWord} ${name} is ${JSON.stringify(expected)}`, () =>
    fieldWithin(ctx, path, kindWord, name, { kind: 'equals', text: expected }, withinMs),
  );
}

/** "the field `status.readyReplicas` of the Deployment `api` is at least 2 within 1m". */
export function fieldCompares(ctx: Ctx, path: string, kindWord: string, name: string, cmp: Comparison, value: number, withinMs: number): StepResult {
  return ctx.check(`field ${path} of ${kindWord} ${name} is ${describeComparison(cmp, value)}`, () =>
    fieldWithin(ctx, path, kindWord, name, { kind: 'compares', cmp, value }, withinMs),
  );
}

/** The field holds a value (not absent, not null), read once. */
export function fieldIsSet(ctx: Ctx, rawPath: string, kindWord: string, name: string): StepResult {
  return ctx.check(`field ${rawPath} of ${kindWord} ${name} is set`, async () => {
    const path = normalizeFieldPath(rawPath);
    const at = await locate(ctx, kindWord, name);
    const obj = await readObject(ctx, at);
    const seen = judgeField(at, path, { kind: 'set' }, obj);
    const parent = path.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
    const around = parent !== '$' && parent !== path ? selectField(obj, parent) : { found: false, value: undefined };
    if (around.found) await ctx.evidence.text(`${parent} of ${at.label}`, fieldShown(at, parent, around.value).slice(0, 4000));
    if (!seen.ok) throw new Error(`${at.label}: ${seen.summary}${around.found ? `; ${parent} is ${fieldShown(at, parent, around.value)}` : ''}`);
    return `${at.label}: ${seen.summary}`;
  });
}

/* ------------------------------------------------------------------ conditions */

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** "Available=False (MinimumReplicasUnavailable: Deployment does not have minimum availability.)" */
export function conditionText(c: Condition): string {
  const why = [c.reason, c.message].filter(Boolean).join(': ');
  return `${c.type}=${c.status}${why ? ` (${why})` : ''}`;
}

/** The condition is True on a status the controller wrote for the object's current generation. */
export function judgeCondition(obj: RawObject | undefined, type: string): Observation<Condition[]> {
  if (!obj) return { ok: false, summary: 'the object does not exist' };
  const status = obj.status as { conditions?: Condition[]; observedGeneration?: number } | undefined;
  const conditions = status?.conditions ?? [];
  const generation = obj.metadata?.generation;
  const all = conditions.length ? conditions.map(conditionText).join('; ') : 'no conditions';
  if (generation !== undefined && status?.observedGeneration !== undefined && status.observedGeneration < generation)
    return { ok: false, value: conditions, summary: `status is of generation ${status.observedGeneration}, the object is at ${generation}; ${all}` };
  const c = conditions.find((x) => x.type === type);
  if (!c) return { ok: false, value: conditions, summary: `no ${type} condition; ${all}` };
  if (generation !== undefined && c.observedGeneration !== undefined && c.observedGeneration < generation)
    return { ok: false, value: conditions, summary: `${type} is of generation ${c.observedGeneration}, the object is at ${generation}; ${all}` };
  return { ok: c.status === 'True', value: conditions, summary: all };
}

/** "the APIService `v1beta1.metrics.k8s.io` has the condition `Available` within 30s": status.conditions[type].status True, through a watch. */
export function objectHasCondition(ctx: Ctx, kindWord: string, name: string, type: string, withinMs: number): StepResult {
  return ctx.check(`${kindWord} ${name} has the condition ${type}`, async () => {
    const at = await locate(ctx, kindWord, name);
    let last: Condition[] = [];
    try {
      // held, like Ready pods: a crash-looping Deployment is Available for a moment after each restart
      const r = await waitForObject(ctx, at, `${at.label} to have the condition ${type}=True`, withinMs, ctx.config.readyHoldMs, (o) => {
        const seen = judgeCondition(o, type);
        last = seen.value ?? last;
        return seen;
      });
      const c = last.find((x) => x.type === type);
      return `${at.label}: ${c ? conditionText(c) : type}${c?.lastTransitionTime ? ` since ${c.lastTransitionTime}` : ''} (True after ${formatDuration(r.okSinceMs)}, held ${formatDuration(ctx.config.readyHoldMs)})`;
    } finally {
      await ctx.evidence.table(
        `conditions of ${at.label}`,
        last.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, since: c.lastTransitionTime })),
      );
    }
  });
}

/* ------------------------------------------------------------ nodes, version */

function nodeReady(n: V1Node): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function nodeRow(n: V1Node) {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    node: n.metadata?.name,
    ready: ready ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'unknown',
    schedulable: !n.spec?.unschedulable,
    roles: Object.keys(n.metadata?.labels ?? {})
      .filter((l) => l.startsWith('node-role.kubernetes.io/'))
      .map((l) => l.slice('node-role.kubernetes.io/'.length))
      .join(','),
    kubelet: n.status?.nodeInfo?.kubeletVersion,
    cpu: n.status?.allocatable?.cpu,
    memory: n.status?.allocatable?.memory,
  };
}

/** "the cluster has at least 3 Ready nodes within 2m": the nodes' Ready condition, through a watch on nodes. */
export function clusterReadyNodes(ctx: Ctx, cmp: Comparison, count: number, withinMs: number): StepResult {
  return ctx.check(`the cluster has ${describeComparison(cmp, count)} Ready node(s)`, async () => {
    const k = ctx.clients.kube();
    let nodes: V1Node[] = [];
    try {
      const r = await waitUntil({
        what: `${describeComparison(cmp, count)} Ready node(s)`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource('/api/v1/nodes'),
        check: async () => {
          nodes = (await k.core.listNode()).items;
          const ready = nodes.filter(nodeReady);
          const notReady = nodes.filter((n) => !nodeReady(n));
          return {
            ok: compare(ready.length, cmp, count),
            summary: `${ready.length} Ready node(s) of ${nodes.length}${notReady.length ? `; not Ready: ${notReady.map((n) => `${n.metadata?.name} (${nodeRow(n).ready})`).join(', ')}` : ''}`,
          };
        },
      });
      return `${r.summary}: ${nodes
        .filter(nodeReady)
        .map((n) => n.metadata?.name)
        .join(', ')}`;
    } finally {
      await ctx.evidence.table('nodes', nodes.map(nodeRow));
    }
  });
}

/** [major, minor, patch] of `v1.33.4`, `1.28`, `v1.30.2+k3s1`; undefined when it is no version. */
export function parseVersion(text: string): number[] | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  return m ? [m[1], m[2], m[3]].filter((p) => p !== undefined).map(Number) : undefined;
}

/**
 * Orders a version against another at the other's precision: with `1.33` any 1.33.x is
 * equal, so "at most 1.33" holds for v1.33.4. Negative, zero or positive, like a comparator.
 */
export function compareVersions(actual: string, expected: string): number {
  const a = parseVersion(actual);
  const e = parseVersion(expected);
  if (!e) throw new BadInputError(`"${expected}" is not a Kubernetes version`, 'write it like 1.28 or v1.33.4');
  if (!a) throw new Error(`the API server reports the version "${actual}", which kubeproof cannot read`);
  for (let i = 0; i < e.length; i++) {
    const d = (a[i] ?? 0) - e[i];
    if (d !== 0) return d;
  }
  return 0;
}

/** "the cluster runs Kubernetes at least `1.28`": the API server's /version, compared numerically. */
export function clusterVersion(ctx: Ctx, cmp: Comparison, expected: string): StepResult {
  return ctx.check(`the cluster runs Kubernetes ${cmp.words} ${expected}`, async () => {
    const k = ctx.clients.kube();
    const version = await k.version(ctx.config.timeouts.assert);
    const nodes = (await k.core.listNode()).items;
    await ctx.evidence.table('versions', [
      { component: `API server ${k.server}`, version },
      ...nodes.map((n) => ({ component: `kubelet on ${n.metadata?.name}`, version: n.status?.nodeInfo?.kubeletVersion })),
    ]);
    if (!compare(compareVersions(version, expected), cmp, 0)) throw new Error(`the cluster runs Kubernetes ${version}, not ${cmp.words} ${expected}`);
    return `Kubernetes ${version}`;
  });
}

/* ------------------------------------------------------------------ ConfigMaps */

async function readConfigMap(ctx: Ctx, name: string): Promise<{ cm: V1ConfigMap; namespace: string }> {
  const namespace = platformNamespace(ctx);
  const cm = await ctx.clients
    .kube()
    .core.readNamespacedConfigMap({ name, namespace })
    .catch((e: unknown) => {
      if (statusCode(e) === 404) throw new Error(`ConfigMap ${namespace}/${name} does not exist`);
      throw e;
    });
  return { cm, namespace };
}

function configMapKeys(cm: V1ConfigMap): string[] {
  return [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})];
}

async function configMapTable(ctx: Ctx, name: string, cm: V1ConfigMap): Promise<void> {
  await ctx.evidence.table(`ConfigMap ${name}`, [
    ...Object.entries(cm.data ?? {}).map(([key, v]) => ({ key, bytes: Buffer.byteLength(v), lines: v.split('\n').length, in: 'data' })),
    ...Object.entries(cm.binaryData ?? {}).map(([key, v]) => ({ key, bytes: Buffer.from(v, 'base64').length, lines: '', in: 'binaryData' })),
  ]);
}

/** The ConfigMap holds every key (in data or binaryData); failing, it says which keys it has. */
export function configMapHasKeys(ctx: Ctx, name: string, keys: string[]): StepResult {
  return ctx.check(`ConfigMap ${name} holds ${keys.join(', ')}`, async () => {
    if (!keys.length) throw new BadInputError('no keys given', 'list the keys, comma-separated: `a, b`');
    const { cm, namespace } = await readConfigMap(ctx, name);
    await configMapTable(ctx, name, cm);
    const has = configMapKeys(cm);
    const missing = keys.filter((k) => !has.includes(k));
    if (missing.length) throw new Error(`ConfigMap ${namespace}/${name} lacks ${missing.join(', ')}; it has ${has.join(', ') || 'no keys'}`);
    return `ConfigMap ${namespace}/${name}: keys ${has.join(', ')}`;
  });
}

async function configMapValue(ctx: Ctx, name: string, key: string): Promise<{ value: string; where: string }> {
  const { cm, namespace } = await readConfigMap(ctx, name);
  const where = `ConfigMap ${namespace}/${name} key ${key}`;
  const value = cm.data?.[key] ?? (cm.binaryData?.[key] !== undefined ? Buffer.from(cm.binaryData[key], 'base64').toString('utf8') : undefined);
  if (value === undefined) {
    await configMapTable(ctx, name, cm);
    throw new Error(`ConfigMap ${namespace}/${name} has no key ${key}; its keys: ${configMapKeys(cm).join(', ') || 'none'}`);
  }
  await ctx.evidence.text(where, value.length > 8000 ? `${value.slice(0, 8000)}\n… (${value.length} characters in all)` : value);
  return { value, where };
}

const excerpt = (s: string, n = 200) => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);

/** The key's value is the text (a single trailing newline, as files leave it, aside). */
export function configMapKeyIs(ctx: Ctx, name: string, key: string, expected: string): StepResult {
  return ctx.check(`ConfigMap ${name} key ${key} is ${excerpt(expected, 60)}`, async () => {
    const { value, where } = await configMapValue(ctx, name, key);
    if (value !== expected && value.replace(/\n$/, '') !== expected) throw new Error(`${where} is ${excerpt(value)}, not ${excerpt(expected)}`);
    return `${where} is ${excerpt(value)}`;
  });
}

/** The key's value contains the text; evidence: the value and the lines that mention it. */
export function configMapKeyMentions(ctx: Ctx, name: string, key: string, text: string): StepResult {
  return ctx.check(`ConfigMap ${name} key ${key} mentions ${excerpt(text, 60)}`, async () => {
    if (!text) throw new BadInputError('the text to look for is empty', 'write the text the value must contain');
    const { value, where } = await configMapValue(ctx, name, key);
    const lines = value
      .split('\n')
      .map((l, i) => ({ line: i + 1, text: l }))
      .filter((l) => l.text.includes(text));
    if (!value.includes(text)) throw new Error(`${where} does not mention ${excerpt(text, 80)}; it begins ${excerpt(value)}`);
    return `${where} mentions it${lines.length ? ` at line(s) ${lines.map((l) => l.line).join(', ')}: ${excerpt(lines[0].text.trim(), 120)}` : ' (across lines)'}`;
  });
}

/** `/x/i` or `x` as a case-insensitive regular expression. */
export function keyPattern(pattern: string): RegExp {
  const slashed = /^\/(.*)\/([a-z]*)$/.exec(pattern.trim());
  try {
    return slashed ? new RegExp(slashed[1], slashed[2]) : new RegExp(pattern, 'i');
  } catch (e) {
    throw new BadInputError(`"${pattern}" is not a regular expression: ${errorText(e)}`, 'write e.g. `password|secret|token`');
  }
}

/**
 * No ConfigMap of the namespace has a key matching the pattern (case-insensitive unless
 * written `/…/flags`), e.g. credentials kept outside Secrets. Positive control: the ConfigMaps
 * and keys read are counted and listed, and with none read nothing is proven.
 */
export function noConfigMapKeyLike(ctx: Ctx, pattern: string): StepResult {
  // the pattern in slashes: "secret: …" in a title would read as a secret assignment to the redactor
  const shown = pattern.trim().startsWith('/') ? pattern.trim() : `/${pattern}/i`;
  return ctx.check(`no ConfigMap holds a key like ${shown}`, async () => {
    const re = keyPattern(pattern);
    const namespace = platformNamespace(ctx);
    const maps = (await ctx.clients.kube().core.listNamespacedConfigMap({ namespace })).items;
    const rows = maps.map((cm) => {
      const keys = configMapKeys(cm);
      return { configMap: cm.metadata?.name, keys: keys.length, like: keys.filter((k) => re.test(k)).join(', '), all: keys.join(', ') };
    });
    await ctx.evidence.table(`ConfigMaps in ${namespace} (keys only) against ${re}`, rows);
    const keyCount = rows.reduce((n, r) => n + r.keys, 0);
    if (!maps.length) throw new Error(`no ConfigMap could be read in namespace ${namespace}: nothing shows the absence of keys like ${re}`);
    const hits = rows.filter((r) => r.like);
    if (hits.length) throw new Error(`in namespace ${namespace}, ${hits.map((h) => `ConfigMap ${h.configMap} holds ${h.like}`).join('; ')} (like ${re})`);
    return `read ${maps.length} ConfigMap(s) with ${keyCount} key(s) in ${namespace}; none like ${re}`;
  });
}

/* ---------------------------------------------------------- Secrets, PVCs */

/** A Secret holds the keys, non-empty; the values are registered for redaction and never shown. */
export function secretHasKeys(ctx: Ctx, name: string, keys: string[]): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Secret ${name} holds ${keys.join(', ')}`, async () => {
    const s = await ctx.clients
      .kube()
      .core.readNamespacedSecret({ name, namespace })
      .catch((e) => {
        throw new Error(`Secret ${namespace}/${name} not found: ${errorText(e).split('\n')[0]}`);
      });
    for (const v of Object.values(s.data ?? {})) {
      ctx.evidence.redactor.add(v);
      ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
    }
    const missing = keys.filter((k) => !s.data?.[k]);
    await ctx.evidence.table(
      `Secret ${name} (values withheld)`,
      Object.entries(s.data ?? {}).map(([k, v]) => ({ key: k, bytes: Buffer.from(v, 'base64').length })),
    );
    if (missing.length) throw new Error(`Secret ${namespace}/${name} lacks ${missing.join(', ')}; it has ${Object.keys(s.data ?? {}).join(', ') || 'no keys'}`);
    return `type ${s.type}, keys ${Object.keys(s.data ?? {}).join(', ')}`;
  });
}

export function pvcBound(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`PVC ${name} is Bound`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    const r = await waitUntil({
      what: `PersistentVolumeClaim ${namespace}/${name} to be Bound`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchSource(`/api/v1/namespaces/${namespace}/persistentvolumeclaims`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const c = await k.core.readNamespacedPersistentVolumeClaim({ name, namespace });
        return {
          ok: c.status?.phase === 'Bound',
          summary: `phase ${c.status?.phase}${c.spec?.volumeName ? `, volume ${c.spec.volumeName}` : ''}, class ${c.spec?.storageClassName ?? '(default)'}, capacity ${c.status?.capacity?.storage ?? '-'}`,
        };
      },
    });
    return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
  });
}

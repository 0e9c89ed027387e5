import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import { type ApiResource, describe, podReady, type RawObject, statusCode } from '../clients/kube/client';
import { loadManifest } from '../clients/kube/manifests';
import { type ControllerRef, Kubeseal, type SealedSecretObject } from '../clients/kubeseal';
import { BadInputError, formatDuration, WaitTimeoutError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { fixtureVars, platformNamespace, scenarioNamespace } from './shared/namespace';

/**
 * Sealed Secrets (bitnami-labs/sealed-secrets): the controller in the cluster, kubeseal sealing
 * offline with its certificate, SealedSecrets unsealed into Secrets; and Secrets compared by
 * SHA-256 and by when their data last changed. Secret values never leave this module: they are
 * registered with the redactor as soon as they are read, and evidence shows hashes and lengths.
 */

/** kubeseal's own defaults (--controller-namespace, --controller-name), and upstream controller.yaml's. */
const DEFAULT_CONTROLLER: ControllerRef = { namespace: 'kube-system', name: 'sealed-secrets-controller' };
const CRD = 'sealedsecrets.bitnami.com';
const INSTALL_HINT =
  'install it (on the lab: `Given the Sealed Secrets controller from "lab/manifests/optional/sealed-secrets.yaml" runs in the cluster`), or name where it runs: `Given the Sealed Secrets controller is "<name>" in the namespace "<namespace>"`';

function controllerOf(ctx: Ctx): ControllerRef {
  return ctx.state.sealedSecretsController ?? DEFAULT_CONTROLLER;
}

function label(c: ControllerRef): string {
  return `${c.namespace}/${c.name}`;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The SealedSecret kind as the API server serves it; its absence means Sealed Secrets is not installed. */
async function sealedSecretResource(ctx: Ctx): Promise<ApiResource> {
  try {
    return await ctx.clients.kube().discovery.resolve('SealedSecret.bitnami.com');
  } catch (e) {
    if (!(e instanceof BadInputError)) throw e;
    throw new Error(
      `Sealed Secrets is not installed on the cluster: the API server serves no SealedSecret (bitnami.com), the CRD ${CRD} is missing\n  → ${INSTALL_HINT}`,
      { cause: e },
    );
  }
}

interface ControllerState {
  ref: ControllerRef;
  pods: { name: string; ready: boolean; image: string; restarts: number }[];
}

/**
 * The controller answers: the CRD is served, its Service exists and selects a Ready pod.
 * Missing or down is failed, naming the controller and what to do.
 */
async function requireController(ctx: Ctx): Promise<ControllerState> {
  const ref = controllerOf(ctx);
  await sealedSecretResource(ctx);
  const k = ctx.clients.kube();
  const svc = await k.core.readNamespacedService({ name: ref.name, namespace: ref.namespace }).catch((e: unknown) => {
    if (statusCode(e) === 404)
      throw new Error(`the Sealed Secrets controller ${label(ref)} is not installed: Service ${label(ref)} does not exist\n  → ${INSTALL_HINT}`);
    throw e;
  });
  const selector = Object.entries(svc.spec?.selector ?? {})
    .map(([key, v]) => `${key}=${v}`)
    .join(',');
  if (!selector) throw new Error(`the Sealed Secrets controller's Service ${label(ref)} has no selector, so no pod serves it`);
  const pods = (await k.listPods(ref.namespace, selector))
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => ({
      name: p.metadata?.name ?? '?',
      ready: podReady(p),
      image: p.spec?.containers.map((c) => c.image).join(', ') ?? '',
      restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
      waiting: (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).filter(Boolean),
    }));
  if (!pods.some((p) => p.ready))
    throw new Error(
      `the Sealed Secrets controller ${label(ref)} is down: its Service selects ${pods.length} pod(s) (${selector}), none Ready${
        pods.length ? ` (${pods.map((p) => `${p.name}${p.waiting.length ? ` ${p.waiting.join(',')}` : ''}`).join('; ')})` : ''
      }\n  → kubectl -n ${ref.namespace} describe pods -l ${selector}`,
    );
  return { ref, pods };
}

interface CertificateFacts {
  pem: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  key: string;
}

/** `kubeseal --fetch-cert` for the scenario's controller; the certificate's facts go into the evidence. */
async function fetchCertificate(ctx: Ctx, controller: ControllerRef): Promise<CertificateFacts> {
  const run = await Kubeseal.fromConfig(ctx.config).fetchCert(controller);
  const cert = new X509Certificate(run.stdout);
  const details = cert.publicKey.asymmetricKeyDetails;
  const facts: CertificateFacts = {
    pem: run.stdout,
    subject: (cert.subject ?? '').replace(/\n/g, ', ') || '(empty: the controller issues its certificate without a subject)',
    issuer: (cert.issuer ?? '').replace(/\n/g, ', ') || '(empty)',
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    fingerprint256: cert.fingerprint256,
    key: `${cert.publicKey.asymmetricKeyType ?? '?'}${details?.modulusLength ? ` ${details.modulusLength} bit` : ''}`,
  };
  await ctx.evidence.text(
    `certificate of the Sealed Secrets controller ${label(controller)}`,
    [
      `command:     ${run.command} (${formatDuration(run.ms)})`,
      `subject:     ${facts.subject}`,
      `issuer:      ${facts.issuer}`,
      `valid:       ${facts.validFrom} → ${facts.validTo}`,
      `public key:  ${facts.key}`,
      `SHA-256 fingerprint: ${facts.fingerprint256}`,
    ].join('\n'),
  );
  const now = Date.now();
  if (now < Date.parse(facts.validFrom) || now > Date.parse(facts.validTo))
    throw new Error(`the certificate of the Sealed Secrets controller ${label(controller)} is not valid now: valid ${facts.validFrom} → ${facts.validTo}`);
  return facts;
}

/* ------------------------------------------------------------------ the controller */

/**
 * "the Sealed Secrets controller is `sealed-secrets` in the namespace `security`": where the later steps
 * find it (kubeseal's --controller-name / --controller-namespace); default kube-system/sealed-secrets-controller.
 */
export function useSealedSecretsController(ctx: Ctx, name: string, namespace: string): void {
  for (const [what, value] of [
    ['name', name],
    ['namespace', namespace],
  ])
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value))
      throw new BadInputError(`"${value}" is not a Kubernetes ${what}`, 'write a DNS label: lower-case letters, digits and "-"');
  ctx.state.sealedSecretsController = { namespace, name };
}

/**
 * "Given the Sealed Secrets controller from `lab/manifests/optional/sealed-secrets.yaml` runs in the cluster":
 * every object of the manifest applied as written (server-side apply; its own namespaces, not the
 * scenario's), then the CRD Established and the controller Ready. Idempotent, and never deleted
 * afterwards: the controller is a cluster add-on that other scenarios share.
 */
export async function installSealedSecrets(ctx: Ctx, file: string): Promise<void> {
  const objects = loadManifest(file, {});
  const crd = objects.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata?.name === CRD);
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata?.namespace);
  const service = objects.find((o) => o.kind === 'Service' && o.metadata?.namespace && o.metadata.name === deployment?.metadata?.name);
  if (!crd || !deployment || !service)
    throw new BadInputError(
      `${file} is not a Sealed Secrets controller manifest: it needs the CustomResourceDefinition ${CRD}, the controller's Deployment and its Service of the same name, each with its namespace (found: ${objects.map(describe).join(', ')})`,
      "use the lab's lab/manifests/optional/sealed-secrets.yaml (upstream controller.yaml with the lab image), or your own controller.yaml",
    );
  const k = ctx.clients.kube();
  const started = performance.now();
  const applied: KubernetesObject[] = [];
  for (const obj of objects) applied.push(await k.apply(obj));
  await ctx.evidence.table(
    `applied ${file} (server-side apply, kept after the scenario)`,
    applied.map((o) => ({ kind: o.kind, name: o.metadata?.name, namespace: o.metadata?.namespace ?? '', resourceVersion: o.metadata?.resourceVersion })),
  );
  const ref = { namespace: deployment.metadata!.namespace!, name: service.metadata!.name! };
  ctx.state.sealedSecretsController = ref;
  const crdResource = await k.discovery.resolve('CustomResourceDefinition.apiextensions.k8s.io');
  const r = await waitUntil({
    what: `the Sealed Secrets CRD to be Established and the controller ${label(ref)} to have an updated Ready pod`,
    timeoutMs: ctx.config.timeouts.rollout,
    signal: ctx.signal,
    watch: k.watchSource(`/apis/apps/v1/namespaces/${ref.namespace}/deployments`, { fieldSelector: `metadata.name=${deployment.metadata!.name}` }),
    check: async () => {
      const c = await k.readRaw(crdResource, CRD);
      const established = ((c?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
        (x) => x.type === 'Established' && x.status === 'True',
      );
      const d = await k.apps.readNamespacedDeployment({ name: deployment.metadata!.name!, namespace: ref.namespace });
      const want = d.spec?.replicas ?? 1;
      const s = d.status;
      const rolledOut = (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (s?.updatedReplicas ?? 0) >= want && (s?.readyReplicas ?? 0) >= want;
      const pods = rolledOut ? [] : await k.deploymentPods(ref.namespace, d.metadata!.name!);
      const waiting = pods.flatMap((p) => (p.status?.containerStatuses ?? []).map((cs) => cs.state?.waiting?.reason).filter(Boolean));
      return {
        ok: established && rolledOut,
        summary: `CRD ${established ? 'Established' : 'not Established'}; deployment ${d.metadata?.name}: ${s?.readyReplicas ?? 0}/${want} ready, ${s?.updatedReplicas ?? 0} updated${waiting.length ? ` (${waiting.join(',')})` : ''}`,
      };
    },
  });
  await ctx.evidence.log(
    `Sealed Secrets controller ${label(ref)} ready ${formatDuration(performance.now() - started)} after applying ${applied.length} object(s): ${r.summary}`,
  );
}

/** "the Sealed Secrets controller is running": its Service selects a Ready pod and it serves a certificate valid now (kubeseal --fetch-cert). */
export function sealedSecretsControllerRunning(ctx: Ctx): StepResult {
  const ref = controllerOf(ctx);
  return ctx.check(`the Sealed Secrets controller ${label(ref)} is running`, async () => {
    const state = await requireController(ctx);
    await ctx.evidence.table(
      `pods of the Sealed Secrets controller ${label(ref)}`,
      state.pods.map((p) => ({ pod: p.name, ready: p.ready, restarts: p.restarts, image: p.image })),
    );
    const cert = await fetchCertificate(ctx, ref);
    return `${state.pods.filter((p) => p.ready).length} Ready pod(s) (${state.pods[0].image}); certificate valid until ${cert.validTo}, SHA-256 fingerprint ${cert.fingerprint256.slice(0, 23)}…`;
  });
}

/* ------------------------------------------------------------------ unsealing */

interface SyncedCondition {
  type: string;
  status: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

interface UnsealSeen {
  sealed?: RawObject;
  conditions: SyncedCondition[];
  secret?: V1Secret;
}

/**
 * Waits (bounded) until the controller has unsealed the SealedSecret: its condition Synced=True for
 * its current generation, and a Secret of the same name that the SealedSecret owns (controller
 * owner reference, same uid). On timeout the error quotes the condition and the controller's events.
 */
async function waitUnsealed(ctx: Ctx, namespace: string, name: string, withinMs: number): Promise<UnsealSeen & { ms: number }> {
  const k = ctx.clients.kube();
  const r = await sealedSecretResource(ctx);
  const seen: UnsealSeen = { conditions: [] };
  const at = `SealedSecret ${namespace}/${name}`;
  const started = performance.now();
  try {
    await waitUntil({
      what: `${at} to be unsealed into Secret ${namespace}/${name}`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchSource(`/apis/bitnami.com/${r.version}/namespaces/${namespace}/sealedsecrets`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        seen.sealed = await k.readRaw(r, name, namespace);
        if (!seen.sealed) return { ok: false, summary: `${at} does not exist` };
        const status = seen.sealed.status as { conditions?: SyncedCondition[]; observedGeneration?: number } | undefined;
        seen.conditions = status?.conditions ?? [];
        const synced = seen.conditions.find((c) => c.type === 'Synced');
        const generation = seen.sealed.metadata?.generation ?? 0;
        if (!synced) return { ok: false, summary: `${at} has no Synced condition yet (the controller has not processed it)` };
        if ((status?.observedGeneration ?? 0) < generation)
          return { ok: false, summary: `${at}: the controller has seen generation ${status?.observedGeneration ?? 0} of ${generation}` };
        if (synced.status !== 'True') return { ok: false, summary: `${at}: Synced=${synced.status}: ${synced.message ?? '(no message)'}` };
        seen.secret = await k.core.readNamespacedSecret({ name, namespace }).catch((e: unknown) => {
          if (statusCode(e) === 404) return undefined;
          throw e;
        });
        protect(ctx, seen.secret);
        if (!seen.secret) return { ok: false, summary: `${at}: Synced=True, but Secret ${namespace}/${name} does not exist` };
        const owners = seen.secret.metadata?.ownerReferences ?? [];
        const owned = owners.some((o) => o.kind === 'SealedSecret' && o.uid === seen.sealed?.metadata?.uid && o.controller);
        if (!owned)
          return {
            ok: false,
            summary: `Secret ${namespace}/${name} exists but is not owned by ${at} (owners: ${owners.map((o) => `${o.kind}/${o.name}`).join(', ') || 'none'})`,
          };
        return { ok: true, summary: `${at}: Synced=True; Secret ${namespace}/${name} owned by it` };
      },
    });
    return { ...seen, ms: performance.now() - started };
  } catch (e) {
    if (!(e instanceof WaitTimeoutError)) throw e;
    const events = await controllerEvents(ctx, namespace, name);
    const synced = seen.conditions.find((c) => c.type === 'Synced');
    throw new Error(
      `${at} was not unsealed into Secret ${namespace}/${name} within ${formatDuration(withinMs)}: ${
        synced ? `condition Synced=${synced.status}${synced.message ? ` "${synced.message}"` : ''}` : 'no Synced condition'
      }; controller events: ${events.length ? events.map((x) => `${x.reason}: ${x.message}`).join('; ') : 'none'} (last seen: ${e.lastSeen})`,
      { cause: e },
    );
  } finally {
    await ctx.evidence.table(
      `conditions of SealedSecret ${namespace}/${name}`,
      seen.conditions.map((c) => ({
        type: c.type,
        status: c.status,
        message: c.message ?? '',
        updated: c.lastUpdateTime ?? '',
        since: c.lastTransitionTime ?? '',
      })),
    );
  }
}

/** The controller's events about one SealedSecret (Unsealed, ErrUnsealFailed...), oldest first. */
async function controllerEvents(ctx: Ctx, namespace: string, name: string): Promise<{ reason: string; message: string }[]> {
  const events = (await ctx.clients.kube().events(namespace)).filter((e) => e.involvedObject.kind === 'SealedSecret' && e.involvedObject.name === name);
  await ctx.evidence.table(
    `events of SealedSecret ${namespace}/${name}`,
    events.map((e) => ({
      time: new Date(e.lastTimestamp ?? e.eventTime ?? 0).toISOString(),
      type: e.type,
      reason: e.reason,
      count: e.count,
      message: e.message,
    })),
  );
  return events.map((e) => ({ reason: e.reason ?? '', message: e.message ?? '' }));
}

/** Registers every value of a Secret for redaction, raw and decoded. */
function protect(ctx: Ctx, secret: V1Secret | undefined): void {
  for (const v of Object.values(secret?.data ?? {})) {
    ctx.evidence.redactor.add(v);
    ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
  }
}

function secretKeysTable(secret: V1Secret): { key: string; bytes: number }[] {
  return Object.entries(secret.data ?? {}).map(([key, v]) => ({ key, bytes: Buffer.from(v, 'base64').length }));
}

/**
 * X1 "the SealedSecret `db-credentials` is unsealed into the Secret `db-credentials` within 30s": the controller
 * reports Synced=True for the SealedSecret's generation and the Secret exists, owned by that SealedSecret.
 * A SealedSecret it cannot open fails with the controller's own condition and events.
 */
export function sealedSecretUnsealed(ctx: Ctx, sealedName: string, secretName: string, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`SealedSecret ${sealedName} is unsealed into Secret ${secretName}`, async () => {
    if (sealedName !== secretName)
      throw new BadInputError(
        `the controller unseals SealedSecret ${sealedName} into the Secret of the same name, never into ${secretName}`,
        'name the Secret as the SealedSecret',
      );
    await requireController(ctx);
    const seen = await waitUnsealed(ctx, namespace, sealedName, withinMs);
    await ctx.evidence.table(`keys of Secret ${namespace}/${secretName} (values never shown)`, secretKeysTable(seen.secret!));
    const keys = Object.keys(seen.secret!.data ?? {});
    return `Synced=True after ${formatDuration(seen.ms)} (bound ${formatDuration(withinMs)}); Secret ${namespace}/${secretName} (${keys.length} key(s): ${keys.join(', ')}) owned by the SealedSecret`;
  });
}

/**
 * X1 "a Secret sealed offline with the controller's certificate decrypts to the same data within 30s": the
 * controller's certificate (kubeseal --fetch-cert), a unique random value sealed OFFLINE with it (kubeseal
 * --cert, no kubeconfig), the SealedSecret applied into the scenario's namespace, the controller's Secret
 * read back: the same bytes (compared and shown by SHA-256; the value never appears).
 */
export function sealedOfflineDecrypts(ctx: Ctx, withinMs: number): StepResult {
  const controller = controllerOf(ctx);
  return ctx.check(`a Secret sealed offline with the certificate of ${label(controller)} decrypts to the same data`, async () => {
    await requireController(ctx);
    const cert = await fetchCertificate(ctx, controller);
    const namespace = await scenarioNamespace(ctx);
    const name = ctx.unique('kp-sealed');
    const value = randomBytes(32).toString('base64url');
    ctx.evidence.redactor.add(value);
    const plain: V1Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name, namespace },
      data: { value: Buffer.from(value).toString('base64') },
    };
    const sealedAt = await sealAndApply(ctx, plain, cert);
    const seen = await waitUnsealed(ctx, namespace, name, withinMs);
    const back = Buffer.from(seen.secret?.data?.value ?? '', 'base64');
    const want = sha256(value);
    const got = sha256(back);
    await ctx.evidence.table(`data sealed offline and unsealed by the controller (SHA-256; the value is never shown)`, [
      {
        key: 'value',
        'sealed offline': want,
        [`in Secret ${namespace}/${name}`]: seen.secret?.data?.value === undefined ? '(no such key)' : got,
        equal: want === got,
      },
    ]);
    if (seen.secret?.data?.value === undefined)
      throw new Error(
        `Secret ${namespace}/${name} unsealed by ${label(controller)} has no key "value" (keys: ${Object.keys(seen.secret?.data ?? {}).join(', ') || 'none'})`,
      );
    if (want !== got)
      throw new Error(
        `Secret ${namespace}/${name} unsealed by ${label(controller)} holds other data than was sealed: SHA-256 ${got.slice(0, 12)}…, sealed ${want.slice(0, 12)}…`,
      );
    return `sealed offline with the certificate ${cert.fingerprint256.slice(0, 23)}… (valid until ${cert.validTo}); applied ${formatDuration(sealedAt.applyMs)}; unsealed by ${label(controller)} after ${formatDuration(seen.ms)} (bound ${formatDuration(withinMs)}); data SHA-256 ${want.slice(0, 16)}… equal`;
  });
}

/** Seals a Secret offline with the certificate and applies the SealedSecret (deleted again at cleanup). */
async function sealAndApply(ctx: Ctx, plain: V1Secret, cert: CertificateFacts): Promise<{ applyMs: number; sealed: SealedSecretObject }> {
  const run = await Kubeseal.fromConfig(ctx.config).sealOffline(plain, cert.pem);
  const sealed = run.sealed;
  const keys = Object.keys(plain.data ?? {}).concat(Object.keys(plain.stringData ?? {}));
  const encrypted = sealed.spec?.encryptedData ?? {};
  if (sealed.kind !== 'SealedSecret' || !keys.every((key) => encrypted[key]))
    throw new Error(
      `kubeseal did not produce a SealedSecret with the keys ${keys.join(', ')} (kind ${sealed.kind}, keys ${Object.keys(encrypted).join(', ')})`,
    );
  await ctx.evidence.text(
    `Secret ${plain.metadata?.namespace}/${plain.metadata?.name} sealed offline (${formatDuration(run.ms)})`,
    [
      `command: ${run.command}`,
      `scope:   strict (namespace and name are part of the encryption)`,
      ...Object.entries(encrypted).map(([key, c]) => `encryptedData.${key}: ${c.length} characters of ciphertext, ${c.slice(0, 24)}…`),
    ].join('\n'),
  );
  const k = ctx.clients.kube();
  const t = performance.now();
  const obj = sealed as unknown as KubernetesObject;
  await k.apply(obj);
  const applyMs = performance.now() - t;
  ctx.cleanup.push(`delete SealedSecret ${plain.metadata?.namespace}/${plain.metadata?.name}`, () => k.delete(obj));
  return { applyMs, sealed };
}

/**
 * "When the Secret in `fixtures/lab/sealed-secrets/greeting-secret.yaml` is sealed offline with the controller's
 * certificate and applied": the file's one Secret, put into the scenario's namespace, sealed with kubeseal --cert
 * (no cluster access while sealing) and applied as a SealedSecret — how a platform's CI seals what it commits.
 */
export async function sealFileOffline(ctx: Ctx, file: string): Promise<void> {
  const namespace = await scenarioNamespace(ctx);
  const secrets = loadManifest(file, fixtureVars(ctx, namespace)).filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1') as V1Secret[];
  if (secrets.length !== 1)
    throw new BadInputError(
      `${file} holds ${secrets.length} Secrets; sealing takes exactly one (kubeseal seals one Secret at a time)`,
      'give a file with one v1 Secret',
    );
  const plain: V1Secret = { ...secrets[0], metadata: { ...secrets[0].metadata, namespace } };
  for (const v of Object.values(plain.stringData ?? {})) ctx.evidence.redactor.add(v);
  protect(ctx, plain);
  await requireController(ctx);
  const cert = await fetchCertificate(ctx, controllerOf(ctx));
  const { applyMs } = await sealAndApply(ctx, plain, cert);
  await ctx.evidence.log(`SealedSecret ${namespace}/${plain.metadata?.name} applied in ${formatDuration(applyMs)}`);
}

/* ------------------------------------------------------------------ Secrets: value and age */

async function readSecret(ctx: Ctx, name: string): Promise<{ namespace: string; secret: V1Secret }> {
  const namespace = platformNamespace(ctx);
  const secret = await ctx.clients
    .kube()
    .core.readNamespacedSecret({ name, namespace })
    .catch((e: unknown) => {
      if (statusCode(e) === 404) throw new Error(`Secret ${namespace}/${name} does not exist`);
      throw e;
    });
  protect(ctx, secret);
  return { namespace, secret };
}

/**
 * X2 "the Secret `db-credentials` key `password` has the SHA-256 `5e884898…`": the value's bytes hash to the
 * given SHA-256 (a reviewer checks a value without it ever being written down). A different value is named
 * by the first 8 hex digits of its hash only.
 */
export function secretKeyHasSha256(ctx: Ctx, name: string, key: string, expected: string): StepResult {
  return ctx.check(`Secret ${name} key ${key} has the SHA-256 ${expected.slice(0, 12)}…`, async () => {
    const want = expected.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(want))
      throw new BadInputError(`"${expected}" is not a SHA-256 (64 hex digits)`, 'compute it with: printf %s "$VALUE" | sha256sum');
    const { namespace, secret } = await readSecret(ctx, name);
    const data = secret.data ?? {};
    await ctx.evidence.table(`keys of Secret ${namespace}/${name} (values never shown)`, secretKeysTable(secret));
    if (data[key] === undefined) throw new Error(`Secret ${namespace}/${name} has no key "${key}" (keys: ${Object.keys(data).join(', ') || 'none'})`);
    const got = sha256(Buffer.from(data[key], 'base64'));
    await ctx.evidence.text(
      `SHA-256 of Secret ${namespace}/${name} key ${key}`,
      `expected: ${want}\nactual:   ${got === want ? got : `${got.slice(0, 8)}… (different)`}`,
    );
    if (got !== want) throw new Error(`Secret ${namespace}/${name} key "${key}" has another value: its SHA-256 begins ${got.slice(0, 8)}…, expected ${want}`);
    return `Secret ${namespace}/${name} key "${key}" (${Buffer.from(data[key], 'base64').length} bytes) has the SHA-256 ${want}`;
  });
}

interface DataWrite {
  manager: string;
  operation: string;
  time: string;
}

/** The managedFields entries that own data keys (f:data, f:stringData): who last wrote the Secret's values, and when. */
export function dataWrites(managedFields: { manager?: string; operation?: string; time?: Date | string; fieldsV1?: object }[] | undefined): DataWrite[] {
  return (managedFields ?? [])
    .filter((m) => m.time && m.fieldsV1 && ('f:data' in m.fieldsV1 || 'f:stringData' in m.fieldsV1))
    .map((m) => ({ manager: m.manager ?? '?', operation: m.operation ?? '?', time: new Date(m.time!).toISOString() }))
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
}

/**
 * X2 "the Secret `db-credentials` changed within the last 10m" (rotation): the newest time the API server
 * recorded for a writer of the Secret's data (managedFields[].time of each manager owning `data` keys,
 * second precision, moved whenever that manager changes a field it owns), else its creation. That is an
 * upper bound on the data's age: the same writer's label edit also moves it, an unchanged Secret never does.
 */
export function secretChangedWithin(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`Secret ${name} changed within the last ${formatDuration(withinMs)}`, async () => {
    const { namespace, secret } = await readSecret(ctx, name);
    const writes = dataWrites(secret.metadata?.managedFields as Parameters<typeof dataWrites>[0]);
    const created = new Date(secret.metadata?.creationTimestamp ?? 0).toISOString();
    const last = writes[0] ?? { manager: '(creation)', operation: 'Create', time: created };
    const now = Date.now();
    const ageMs = now - Date.parse(last.time);
    await ctx.evidence.table(
      `writers of Secret ${namespace}/${name}'s data (managedFields; resourceVersion ${secret.metadata?.resourceVersion}, created ${created})`,
      (writes.length ? writes : [last]).map((w) => ({
        manager: w.manager,
        operation: w.operation,
        time: w.time,
        age: formatDuration(now - Date.parse(w.time)),
      })),
    );
    if (ageMs > withinMs)
      throw new Error(
        `Secret ${namespace}/${name} last changed ${formatDuration(ageMs)} ago (data written by ${last.manager} at ${last.time}), longer ago than the bound ${formatDuration(withinMs)}`,
      );
    return `data last written by ${last.manager} (${last.operation}) at ${last.time}, ${formatDuration(ageMs)} ago (bound ${formatDuration(withinMs)}; managedFields time, second precision)`;
  });
}

/**
 * "the Secret `shared-secrets` is copied into the namespace `giia-restore`": the platform namespace's
 * Secret (type and data) created there under the same name — what a restore elsewhere needs before
 * the charts that read it. An existing Secret of that name is never overwritten. Read back and
 * compared key by key (SHA-256, not shown); deleted after the scenario.
 */
export function copySecret(ctx: Ctx, name: string, namespace: string): StepResult {
  const from = platformNamespace(ctx);
  return ctx.check(`the Secret ${from}/${name} is copied into the namespace ${namespace}`, async () => {
    if (namespace === from) throw new BadInputError(`the Secret ${name} is already in ${namespace}`, 'name another namespace to copy it into');
    const k = ctx.clients.kube();
    const source = await k.core.readNamespacedSecret({ name, namespace: from }).catch((e: unknown) => {
      if (statusCode(e) === 404) throw new Error(`Secret ${from}/${name} does not exist, so it cannot be copied into ${namespace}`);
      throw e;
    });
    const data = source.data ?? {};
    for (const v of Object.values(data)) ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
    if (
      await k.core.readNamespacedSecret({ name, namespace }).then(
        () => true,
        (e: unknown) => (statusCode(e) === 404 ? false : Promise.reject(e)),
      )
    )
      throw new Error(`Secret ${namespace}/${name} exists already; kubeproof does not overwrite it with ${from}/${name}`);
    const copy: V1Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: source.type,
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeproof' }, annotations: { 'kubeproof.dev/copied-from': `${from}/${name}` } },
      data,
    };
    await k.core.createNamespacedSecret({ namespace, body: copy }).catch((e: unknown) => {
      if (statusCode(e) === 404) throw new Error(`namespace ${namespace} does not exist, so Secret ${from}/${name} cannot be copied into it`);
      throw e;
    });
    ctx.cleanup.push(`delete Secret ${namespace}/${name}`, () => k.delete(copy));
    const back = (await k.core.readNamespacedSecret({ name, namespace })).data ?? {};
    const rows = Object.keys(data).map((key) => {
      const same = back[key] !== undefined && sha256(Buffer.from(back[key], 'base64')) === sha256(Buffer.from(data[key], 'base64'));
      return { key, bytes: Buffer.from(data[key], 'base64').length, 'same bytes in the copy': same ? 'yes' : 'NO' };
    });
    await ctx.evidence.table(`Secret ${from}/${name} → ${namespace}/${name} (values withheld)`, rows);
    const differing = rows.filter((r) => r['same bytes in the copy'] !== 'yes').map((r) => r.key);
    if (differing.length) throw new Error(`the copy ${namespace}/${name} differs from ${from}/${name} in ${differing.join(', ')}`);
    if (Object.keys(back).length !== rows.length)
      throw new Error(`the copy ${namespace}/${name} has ${Object.keys(back).length} keys, the original ${rows.length}`);
    return `${rows.length} key(s) (${rows.map((r) => r.key).join(', ')}) copied, type ${source.type ?? 'Opaque'}; read back with the same bytes`;
  });
}

import { Clients } from '../../clients';
import type { K6RunResult } from '../../clients/k6';
import type { WorkloadKind } from '../../clients/kube/client';
import { CleanupStack } from '../../engine/cleanup';
import type { Config } from '../../engine/config';
import { EvidenceRecorder } from '../../engine/evidence/recorder';
import type { StepResult } from '../../engine/verdict';

/** Types the step definitions name in their parameters. */
export type { Comparison } from '../../engine/compare';
export type { WorkloadKind };

/** What one scenario remembers between its steps; each key is declared once, here. */
export interface ScenarioState {
  /** The namespace the scenario acts on; `owned` when the scenario created it (and deletes it). */
  namespace?: { name: string; owned: boolean };
  /** The in-cluster probe pod, created on first use. */
  probe?: { namespace: string; pod: string };
  /** Probe pods that carry a workload's labels (its identity for NetworkPolicies), by `namespace/labels`. */
  labelledProbes: Map<string, { namespace: string; pod: string }>;
  /** `host:port` pairs the probe connected to: a later "cannot connect" then proves enforcement. */
  connected: Set<string>;
  /** Files written into pods, by `workload:path`. */
  writtenFiles: Map<string, { text: string; pod: string; uid: string }>;
  /** Pod deletions awaiting their recovery check, by `kind:name`. */
  deletions: Map<string, PodDeletion>;
  /** HPA replica recorders, by HPA name. */
  hpaSeries: Map<string, HpaSeries>;
  /** The k6 run started in the background, if any. */
  backgroundLoad?: BackgroundLoad;
  /** Deployments a step scaled to 0, with the replicas to give back (the cleanup stack restores them too). */
  stoppedDeployments: Map<string, { replicas: number; atMs: number }>;
  /** The marked batch sent to Kafka, whose every id must reach the sink. */
  markedBatch?: MarkedBatch;
  /** Prometheus alerts seen firing in this scenario, by alert name: "resolves" needs one seen first. */
  firingAlerts?: Map<string, { seenAtMs: number; activeAt?: string }>;
  /** Targets a pod connected to, by `host.namespace:port`, with who and how: the positive control a later "cannot connect" needs. */
  reachedTargets?: Map<string, string>;
  /** Workloads a step scaled, by `kind:name`, with the replicas they had first (the cleanup stack gives them back). */
  scaledWorkloads?: Map<string, number>;
  /** The probe's background requests (When the probe requests … in the background). */
  backgroundRequests?: BackgroundRequests;
  /** Namespaces a step deleted, by name, with when: "is gone" then counts from the deletion. */
  deletedNamespaces?: Map<string, { atMs: number; uid?: string }>;
  /** Credentials for the data services, read from the platform's Secrets (values are registered for redaction). */
  dataCredentials?: DataCredentials;
  /** The scenario's pg_dump (plain SQL), kept for the restore step; `from` names the database and pod. */
  postgresBackup?: { sql: Buffer; from: string };
  /** Unique keys written to Redis, by address as written: "still holds that key" reads them back. */
  redisKeys?: Map<string, { key: string; value: string; atMs: number }>;
  /** The Sealed Secrets controller the scenario's steps talk to, when not kubeseal's default kube-system/sealed-secrets-controller. */
  sealedSecretsController?: { namespace: string; name: string };
  /**
   * Helm releases this scenario installed (the chart and values an upgrade reuses) or saw deployed,
   * by `namespace/name`: the positive control "no Helm release remains" needs.
   */
  helmReleases?: Map<string, { chart?: string; seenRevision?: number }>;
}

/** Who the data checks connect as; `source` says where the password came from (Secret and key), never the value. */
export interface DataCredentials {
  postgres?: { user: string; password: string; source: string };
  redis?: { password: string; source: string };
}

/** Requests the probe makes in the background, from a loop in the probe pod that writes one line per request. */
export interface BackgroundRequests {
  url: string;
  intervalMs: number;
  /** Files in the probe pod: `<base>.log` (one line per request), `<base>.stop` (ends the loop). */
  fileBase: string;
  probe: { namespace: string; pod: string };
  startedAtMs: number;
  /** Added to the probe's clock to read its timestamps on kubeproof's clock. */
  clockOffsetMs: number;
  /** The loop stops by itself after this long, whatever happens to the scenario. */
  limitMs: number;
  /** What the scenario did meanwhile (scaled, updated, cut traffic...), for the chart. */
  marks: { label: string; atMs: number }[];
  /** Set once stopped and read back. */
  requests?: BackgroundRequest[];
  stoppedAtMs?: number;
}

export interface BackgroundRequest {
  atMs: number;
  /** HTTP status; 0 without an answer. */
  status: number;
  latencyMs: number;
  /** curl's exit code: 0 when an HTTP answer came. */
  exitCode: number;
  /** curl's message when there was no answer. */
  error: string;
}

export interface PodDeletion {
  kind: WorkloadKind;
  name: string;
  pods: { name: string; uid: string }[];
  atMs: number;
  marks: { label: string; atMs: number }[];
  stop: () => void;
  /** `kubectl get pods` lines of the workload just before the deletion */
  podsBefore: string[];
}

export interface HpaSeries {
  name: string;
  points: { t: number; current: number; desired: number; cpu?: number; target?: number; min: number; max: number; reference: string }[];
  stop: () => void;
}

export interface BackgroundLoad {
  script: string;
  /** What it loads, e.g. "Service producer (10.96.0.20:8000)". */
  target: string;
  startedAtMs: number;
  /** The planned duration (k6 --duration). */
  durationMs: number;
  /** Set when k6 ended (by itself or stopped). */
  endedAtMs?: number;
  run: Promise<K6RunResult | Error>;
  abort: AbortController;
}

export interface MarkedBatch {
  /** Unique per scenario: the `producer` of every message of the batch. */
  id: string;
  topic: string;
  /** Message ids (the readings' seq): 1..count. */
  count: number;
  /** Timestamp of the first reading; reading i is stamped firstMs + i - 1. */
  firstMs: number;
  ackedAtMs: number;
}

export function newScenarioState(): ScenarioState {
  return {
    connected: new Set(),
    writtenFiles: new Map(),
    deletions: new Map(),
    hpaSeries: new Map(),
    labelledProbes: new Map(),
    stoppedDeployments: new Map(),
  };
}

/**
 * What a check needs from the scenario. The cucumber World implements it;
 * other runners (or tests) can too, since nothing here knows Gherkin.
 */
export interface Ctx {
  config: Config;
  clients: Clients;
  evidence: EvidenceRecorder;
  cleanup: CleanupStack;
  diagnostics: { name: string; collect: () => Promise<void> }[];
  state: ScenarioState;
  signal: AbortSignal;
  unique(base: string): string;
  check(name: string, run: () => Promise<string>): StepResult;
}

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the checks observed, kept (redacted) for the plan's outputs: the
 * outputs writer builds hpa-scaling-events.txt, tls-config-summary.md, … from
 * these and from nothing else. One file per cucumber process under
 * reports/observations/<run id>/, so the milestone runs of one `npm run verify`
 * (separate processes, same KUBEPROOF_RUN_ID) add up to one set of outputs.
 */

/** One row of `kubectl get hpa --watch`, stamped. */
export interface HpaRow {
  atMs: number;
  reference: string;
  /** CPU utilisation in % of requests, undefined while unknown */
  cpu?: number;
  target?: number;
  min: number;
  max: number;
  current: number;
  desired: number;
}

export interface HpaObservation {
  namespace: string;
  hpa: string;
  rows: HpaRow[];
  events: { atMs: number; reason: string; message: string }[];
  load?: { script: string; target: string; startedAtMs: number; endedAtMs?: number; plannedMs: number };
}

export interface LoadObservation {
  script: string;
  target: string;
  startedAtMs: number;
  endedAtMs?: number;
  requests?: number;
  perSecond?: number;
  failedRate?: number;
  p95Ms?: number;
  exitCode?: number;
  thresholds: { metric: string; expression: string; ok: boolean }[];
}

export interface ThroughputObservation {
  query: string;
  points: [number, number][];
  baseline: number;
  loaded: number;
  risePct: number;
}

export interface LogSearchObservation {
  query: string;
  sinceMs: number;
  untilMs: number;
  count: number;
  /** the count is the query's line limit: there were at least that many */
  limitReached?: boolean;
  /** the newest lines returned, newest last: [epoch ms, pod (or labels), line] */
  lines: [number, string, string][];
}

export interface TlsObservation {
  service: string;
  namespace: string;
  address: string;
  port: number;
  serverName: string;
  caSource: string;
  protocol?: string;
  cipher?: string;
  subject?: string;
  issuer?: string;
  subjectAltName?: string;
  validFrom?: string;
  validTo?: string;
  verified: boolean;
  problems: string[];
}

export interface PlaintextObservation {
  service: string;
  namespace: string;
  plaintextPort: number;
  tlsPort: number;
  addresses: { address: string; plaintext: string; tls: string; ok: boolean }[];
}

/** A client seen using TLS: "processor → InfluxDB over HTTPS", proven by what landed. */
export interface ClientTlsObservation {
  client: string;
  server: string;
  how: string;
  proof: string;
}

export interface RecoveryObservation {
  kind: string;
  name: string;
  namespace: string;
  deletedPods: string[];
  deletedAtMs: number;
  boundMs: number;
  /** undefined when it did not recover */
  readyAtMs?: number;
  marks: { atMs: number; label: string }[];
  podsBefore: string[];
  podsAfter: string[];
  /** log lines of the replacement pods after the deletion */
  logs: string[];
}

export interface ScreenshotObservation {
  /** the output's name, e.g. prometheus-targets.png */
  output: string;
  url: string;
  /** base64 PNG */
  png: string;
}

export interface ObservationData {
  hpa: HpaObservation;
  load: LoadObservation;
  throughput: ThroughputObservation;
  'log-search': LogSearchObservation;
  tls: TlsObservation;
  plaintext: PlaintextObservation;
  'client-tls': ClientTlsObservation;
  recovery: RecoveryObservation;
  screenshot: ScreenshotObservation;
}

export type ObservationKind = keyof ObservationData;

export interface Observation<K extends ObservationKind = ObservationKind> {
  kind: K;
  /** when it was observed (ISO) */
  at: string;
  /** the scenario that observed it */
  scenario: string;
  data: ObservationData[K];
}

/** The observations of one process, saved when the run ends. */
export class ObservationLog {
  readonly items: Observation[] = [];

  add<K extends ObservationKind>(kind: K, scenario: string, data: ObservationData[K]): void {
    this.items.push({ kind, at: new Date().toISOString(), scenario, data } as Observation);
  }

  /** Writes this process's observations into `dir` (atomically); nothing when there are none. */
  save(dir: string): string | undefined {
    if (!this.items.length) return undefined;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${Date.now()}-${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(this.items));
    renameSync(`${file}.tmp`, file);
    return file;
  }
}

/** Every observation saved under `dir` (one run id), oldest first; unreadable files are named, not fatal. */
export function loadObservations(dir: string): { observations: Observation[]; unreadable: string[] } {
  const observations: Observation[] = [];
  const unreadable: string[] = [];
  if (!existsSync(dir)) return { observations, unreadable };
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  for (const f of files.sort()) {
    try {
      observations.push(...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Observation[]));
    } catch (e) {
      unreadable.push(`${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  observations.sort((a, b) => a.at.localeCompare(b.at));
  return { observations, unreadable };
}

/** The observations of one kind. */
export function ofKind<K extends ObservationKind>(all: Observation[], kind: K): Observation<K>[] {
  return all.filter((o): o is Observation<K> => o.kind === kind);
}

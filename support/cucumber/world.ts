import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IWorldOptions, World, setWorldConstructor } from '@cucumber/cucumber';
import { Clients } from '../clients';
import type { Ctx, ScenarioState } from '../checks/shared/context';
import { newScenarioState } from '../checks/shared/context';
import { CleanupStack } from '../engine/cleanup';
import { type Config, loadConfig } from '../engine/config';
import { EvidenceRecorder } from '../engine/evidence/recorder';
import { Redactor } from '../engine/evidence/redact';
import { uniqueName } from '../engine/names';
import { loadObservations, ObservationLog } from '../engine/observations';
import { OUTPUTS_OF, writeOutputs, type OutputsResult } from '../engine/outputs/writer';
import { type StepResult, check } from '../engine/verdict';

/**
 * What lives for the whole run: the config (read once; a bad value fails every
 * scenario with the same message) and the clients built from it (closed in
 * AfterAll). Cucumber creates one World per scenario, so these are held here.
 */
export interface Run {
  config: Config;
  clients: Clients;
  /** SIGINT/SIGTERM end the current waits promptly so cleanup can run. */
  interrupt: AbortController;
  /** One for the run, so a secret read in any scenario stays masked in the outputs too. */
  redactor: Redactor;
  /** What the checks observed, for the plan's outputs (written when the run ends). */
  observations: ObservationLog;
}

let run: Run | undefined;
let scenarioSeq = 0;

export function currentRun(parameters: Record<string, unknown> = {}): Run {
  if (!run) {
    const config = loadConfig(process.env, parameters);
    run = {
      config,
      clients: new Clients(config),
      interrupt: new AbortController(),
      redactor: new Redactor(config.secrets),
      observations: new ObservationLog(),
    };
  }
  return run;
}

/**
 * Closes the clients; saves this process's observations beside those of the
 * other processes of the same run id and rewrites the plan's outputs from all
 * of them (a verify runs each milestone as its own process).
 */
export async function endRun(): Promise<OutputsResult | undefined> {
  const r = run;
  run = undefined;
  if (!r) return undefined;
  await r.clients.close();
  const dir = `${r.config.reportsDir}/observations/${r.config.runId}`;
  if (!r.config.outputsDir || !r.observations.save(dir)) return undefined;
  const inPlatformRepo = !!r.config.platformDir && resolve(r.config.outputsDir).startsWith(resolve(r.config.platformDir));
  return writeOutputs(loadObservations(dir).observations, r.config.outputsDir, {
    runId: r.config.runId,
    redact: (t) => r.redactor.redact(t),
    removeStale: !inPlatformRepo,
  });
}

/** Links from a report (in the reports directory) to the outputs an observation feeds. */
function outputLinks(config: Config, names: readonly string[]): string[] {
  if (!config.outputsDir) return [];
  const abs = resolve(config.outputsDir);
  const rel = relative(resolve(config.reportsDir), abs);
  return names.map((n) => (rel.startsWith('..') ? pathToFileURL(`${abs}/${n}`).href : `${rel}/${n}`));
}

/** The scenario: config, clients, cleanup stack, evidence and typed state. Steps hand it to one check. */
export class KubeproofWorld extends World<Record<string, unknown>> implements Ctx {
  readonly config: Config;
  readonly clients: Clients;
  readonly redactor: Redactor;
  readonly evidence: EvidenceRecorder;
  readonly cleanup = new CleanupStack();
  /** Collected when a scenario fails, before cleanup deletes what they would show. */
  readonly diagnostics: { name: string; collect: () => Promise<void> }[] = [];
  readonly state: ScenarioState = newScenarioState();
  readonly seq = ++scenarioSeq;
  readonly signal: AbortSignal;
  /** Set by the Before hook: which scenario an observation came from. */
  scenarioName = '';

  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
    const r = currentRun(this.parameters);
    this.config = r.config;
    this.clients = r.clients;
    this.signal = r.interrupt.signal;
    this.redactor = r.redactor;
    this.evidence = new EvidenceRecorder(
      (data, opts) => (typeof data === 'string' ? this.attach(data, opts) : this.attach(data, opts)),
      this.redactor,
      (kind, data) => {
        r.observations.add(kind, this.scenarioName, data);
        return outputLinks(this.config, OUTPUTS_OF[kind]);
      },
    );
  }

  /** A DNS-safe name unique to this scenario and worker. */
  unique(base: string): string {
    return uniqueName(base, process.env.CUCUMBER_WORKER_ID ?? '0', this.seq);
  }

  /** Runs one acceptance check; see support/engine/verdict.ts. */
  check(name: string, fn: () => Promise<string>): StepResult {
    return check(this.evidence, name, fn);
  }
}

setWorldConstructor(KubeproofWorld);

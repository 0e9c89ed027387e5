import { IWorldOptions, World, setWorldConstructor } from '@cucumber/cucumber';
import { Clients } from '../clients';
import type { Ctx, ScenarioState } from '../checks/shared/context';
import { newScenarioState } from '../checks/shared/context';
import { CleanupStack } from '../engine/cleanup';
import { type Config, loadConfig } from '../engine/config';
import { EvidenceRecorder } from '../engine/evidence/recorder';
import { Redactor } from '../engine/evidence/redact';
import { uniqueName } from '../engine/names';
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
}

let run: Run | undefined;
let scenarioSeq = 0;

export function currentRun(parameters: Record<string, unknown> = {}): Run {
  if (!run) {
    const config = loadConfig(process.env, parameters);
    run = { config, clients: new Clients(config), interrupt: new AbortController() };
  }
  return run;
}

export async function endRun(): Promise<void> {
  const r = run;
  run = undefined;
  await r?.clients.close();
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

  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
    const r = currentRun(this.parameters);
    this.config = r.config;
    this.clients = r.clients;
    this.signal = r.interrupt.signal;
    this.redactor = new Redactor(this.config.secrets);
    this.evidence = new EvidenceRecorder((data, opts) => (typeof data === 'string' ? this.attach(data, opts) : this.attach(data, opts)), this.redactor);
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

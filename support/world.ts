import { IWorldOptions, World, setWorldConstructor } from '@cucumber/cucumber';
import { Config, loadConfig } from './config';
import { CleanupStack } from './cleanup';
import { check } from './check';
import { EvidenceRecorder } from './evidence/recorder';
import { Redactor } from './evidence/redact';
import { uniqueName } from './names';
import { Clients } from './clients';

let sharedConfig: Config | undefined;
let sharedClients: Clients | undefined;
let scenarioSeq = 0;

/** Config is read once per process; a bad value fails every scenario with the same clear message. */
export function processConfig(parameters: Record<string, unknown> = {}): Config {
  sharedConfig ??= loadConfig(process.env, parameters);
  return sharedConfig;
}

/** Clients (and their port-forwards, consumers...) live for the whole run; closed in AfterAll. */
export function processClients(config: Config): Clients {
  sharedClients ??= new Clients(config);
  return sharedClients;
}

export function closeProcessClients(): Promise<void> {
  const c = sharedClients;
  sharedClients = undefined;
  return c ? c.close() : Promise.resolve();
}

/** Run-wide abort: SIGINT/SIGTERM end the current waits promptly so cleanup can run. */
export const interrupt = new AbortController();

/**
 * The scenario's state: config, clients, cleanup stack and evidence. Steps call
 * one method or one support function with it; the engine itself lives below.
 */
export class KubeproofWorld extends World<Record<string, unknown>> {
  readonly config: Config;
  readonly redactor: Redactor;
  readonly evidence: EvidenceRecorder;
  readonly clients: Clients;
  readonly cleanup = new CleanupStack();
  /** Collected when a scenario fails, before cleanup deletes what they would show. */
  readonly diagnostics: { name: string; collect: () => Promise<void> }[] = [];
  /** Values remembered between steps of one scenario (names created, timestamps...). */
  readonly memory = new Map<string, unknown>();
  readonly seq = ++scenarioSeq;
  readonly signal = interrupt.signal;

  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
    this.config = processConfig(this.parameters);
    this.redactor = new Redactor(this.config.secrets);
    this.evidence = new EvidenceRecorder((data, opts) => (typeof data === 'string' ? this.attach(data, opts) : this.attach(data, opts)), this.redactor);
    this.clients = processClients(this.config);
  }

  /** A DNS-safe name unique to this scenario and worker. */
  unique(base: string): string {
    return uniqueName(base, process.env.CUCUMBER_WORKER_ID ?? '0', this.seq);
  }

  /** Runs one acceptance check; see support/check.ts. */
  check(name: string, run: () => Promise<string>): Promise<'pending' | undefined> {
    return check(this.evidence, name, run);
  }
}

setWorldConstructor(KubeproofWorld);

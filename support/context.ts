import type { Config } from './config';
import type { Clients } from './clients';
import type { CleanupStack } from './cleanup';
import type { EvidenceRecorder } from './evidence/recorder';

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
  memory: Map<string, unknown>;
  signal: AbortSignal;
  unique(base: string): string;
  check(name: string, run: () => Promise<string>): Promise<'pending' | undefined>;
}

/** A step's result: undefined (passed) or 'pending' (not verified); failures throw. */
export type StepResult = Promise<'pending' | undefined>;

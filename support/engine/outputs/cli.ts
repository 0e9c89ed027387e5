/**
 * `npm run outputs -- [--run ID] [--to DIR]`: (re)writes the plan's outputs from
 * a finished run's saved observations, e.g. into the platform repository's
 * outputs/ after a verify. Without --run: the newest run under
 * <reports>/observations. Secrets known to the configuration are masked.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config';
import { Redactor } from '../evidence/redact';
import { loadObservations } from '../observations';
import { writeOutputs } from './writer';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const config = loadConfig();
  const root = join(config.reportsDir, 'observations');
  const runs = existsSync(root) ? readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()) : [];
  const runId = opt('--run') ?? runs.sort((a, b) => statSync(join(root, a)).mtimeMs - statSync(join(root, b)).mtimeMs).at(-1);
  if (!runId) throw new Error(`no run has saved observations under ${root}: run a milestone first (npm run verify)`);
  if (!runs.includes(runId)) throw new Error(`no observations of run ${runId} under ${root}; runs there: ${runs.join(', ') || 'none'}`);
  const to = opt('--to') ?? config.outputsDir;
  if (!to) throw new Error('no output directory: give --to DIR (KUBEPROOF_OUTPUTS_DIR is none)');
  const { observations, unreadable } = loadObservations(join(root, runId));
  for (const u of unreadable) console.error(`skipped unreadable observations ${u}`);
  const inPlatformRepo = !!config.platformDir && resolve(to).startsWith(resolve(config.platformDir));
  const redactor = new Redactor(config.secrets);
  const r = await writeOutputs(observations, to, { runId, redact: (t) => redactor.redact(t), removeStale: !opt('--to') && !inPlatformRepo });
  for (const w of r.written) console.log(`wrote ${join(to, w.name)} (${w.bytes} bytes${w.detail ? `, ${w.detail}` : ''}) from: ${w.from.join('; ')}`);
  for (const n of r.notWritten) console.log(`not written ${n.name}: ${n.why}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from 'kubeproof/support/checks/shared/context';
import type { StepResult } from 'kubeproof/support/engine/verdict';

/** The runbook has an "On-call rotation" section that names at least one person. */
export function runbookNamesRotation(ctx: Ctx, file: string): StepResult {
  return ctx.check(`the runbook ${file} names an on-call rotation`, async () => {
    const full = join(ctx.config.platformDir ?? '.', file);
    if (!existsSync(full)) throw new Error(`${file} is missing from ${ctx.config.platformDir}`);
    const section = /^## On-call rotation\n([\s\S]*?)(?=^## |$(?![\s\S]))/m.exec(readFileSync(full, 'utf8'));
    const people = (section?.[1] ?? '').split('\n').filter((l) => /^- \S/.test(l));
    await ctx.evidence.text(`on-call rotation in ${file}`, section ? section[0] : '(no "## On-call rotation" section)');
    if (!people.length) throw new Error(`${file} names no on-call rotation (no "## On-call rotation" section with a "- person" line)`);
    return `${people.length} person(s) on call: ${people.map((p) => p.slice(2)).join(', ')}`;
  });
}

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../errors';
import type { RunSummary } from './summary';

/**
 * reports/index.html: every run's report (milestones, nightly, component tests)
 * with pass / failed / not-verified counts, durations and a trend of recent runs.
 */
export interface HistoryEntry {
  run: string;
  startedAt: string;
  durationMs: number;
  success: boolean;
  counts: RunSummary['counts'];
}

const HISTORY_LIMIT = 500;

/** Appends the run to history.json and rewrites index.html; the summary file itself is written by the caller. */
export function recordRun(dir: string, summary: RunSummary): void {
  mkdirSync(dir, { recursive: true });
  const historyFile = join(dir, 'history.json');
  const history: HistoryEntry[] = existsSync(historyFile) ? JSON.parse(readFileSync(historyFile, 'utf8')) : [];
  history.push({ run: summary.run, startedAt: summary.startedAt, durationMs: summary.durationMs, success: summary.success, counts: summary.counts });
  writeFileSync(historyFile, JSON.stringify(history.slice(-HISTORY_LIMIT), null, 1));
  const others = readSummaries(dir).filter((s) => s.run !== summary.run);
  const all = [...others, summary].sort((a, b) => runOrder(a.run) - runOrder(b.run) || a.run.localeCompare(b.run));
  writeFileSync(join(dir, 'index.html'), renderIndex(all, history));
}

export function readSummaries(dir: string): RunSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.summary.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunSummary)
    .sort((a, b) => runOrder(a.run) - runOrder(b.run) || a.run.localeCompare(b.run));
}

/** Milestones in plan order (m1, m2, ... m11), everything else after them. */
function runOrder(run: string): number {
  const m = /^m(\d+)$/.exec(run);
  return m ? Number(m[1]) : 1000;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderIndex(summaries: RunSummary[], history: HistoryEntry[]): string {
  const rows = summaries
    .map((s) => {
      const trend = history
        .filter((h) => h.run === s.run)
        .slice(-12)
        .map((h) => `<span class="dot ${h.counts.failed ? 'failed' : h.counts['not verified'] ? 'nv' : 'passed'}" title="${esc(h.startedAt)}: ${h.counts.passed} passed, ${h.counts.failed} failed, ${h.counts['not verified']} not verified, ${formatDuration(h.durationMs)}"></span>`)
        .join('');
      const scenarios = s.scenarios
        .map(
          (c) =>
            `<tr class="${c.outcome.replace(' ', '-')}"><td>${esc(c.name)}</td><td>${esc(c.feature)}</td><td>${c.outcome}</td><td>${formatDuration(c.durationMs)}</td><td>${esc(c.message ?? '')}</td></tr>`,
        )
        .join('');
      return `<section id="run-${esc(s.run)}">
<h2><a href="${esc(s.html)}">${esc(s.run)}</a> <small>${esc(s.startedAt)} · ${formatDuration(s.durationMs)}</small></h2>
<p class="counts"><b class="passed">${s.counts.passed} passed</b> · <b class="failed">${s.counts.failed} failed</b> · <b class="nv">${s.counts['not verified']} not verified</b> · ${s.counts.skipped} skipped · trend ${trend}</p>
<table><tr><th>scenario</th><th>feature</th><th>outcome</th><th>duration</th><th>reason</th></tr>${scenarios}</table>
</section>`;
    })
    .join('\n');
  const overview = summaries
    .map(
      (s) =>
        `<tr><td><a href="${esc(s.html)}">${esc(s.run)}</a></td><td class="passed">${s.counts.passed}</td><td class="failed">${s.counts.failed}</td><td class="nv">${s.counts['not verified']}</td><td>${s.counts.skipped}</td><td>${formatDuration(s.durationMs)}</td><td>${esc(s.startedAt)}</td><td><a href="#run-${esc(s.run)}">details</a></td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kubeproof reports</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px;margin-bottom:1em}table.overview{width:auto}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.passed{color:#1e7e34}.failed{color:#c0392b}.nv{color:#b9770e}
tr.failed td:nth-child(3){color:#c0392b;font-weight:bold}tr.not-verified td:nth-child(3){color:#b9770e;font-weight:bold}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:2px}.dot.passed{background:#1e7e34}.dot.failed{background:#c0392b}.dot.nv{background:#e6a817}
small{color:#777;font-weight:normal}
</style></head><body>
<h1>kubeproof reports</h1>
<p>Each section links the run's full HTML report (queries, observed values, charts, diagnostics). “Not verified” means the check could not run here; the reason is in the report.</p>
${summaries.length ? `<table class="overview"><tr><th>run</th><th>passed</th><th>failed</th><th>not verified</th><th>skipped</th><th>duration</th><th>started</th><th></th></tr>${overview}</table>` : ''}
${rows || '<p>No runs recorded yet.</p>'}
</body></html>
`;
}

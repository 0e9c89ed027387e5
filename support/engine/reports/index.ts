import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../errors';
import type { Outcome, RunSummary } from './summary';

/**
 * reports/index.html: every run's report (milestones, nightly, component tests)
 * with its verdict, pass / failed / not-verified counts, each criterion with
 * its verdict and reason, durations and a trend of recent runs.
 */
export interface HistoryEntry {
  run: string;
  startedAt: string;
  durationMs: number;
  success: boolean;
  counts: RunSummary['counts'];
}

/** A file of the reports directory that could not be read (an interrupted run leaves an empty summary); named in the index. */
export interface Unreadable {
  file: string;
  reason: string;
}

const HISTORY_LIMIT = 500;

/** Writes a whole file or nothing: readers never see a half-written or empty file, even when the run is killed. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Writes reports/<run>.summary.json atomically. */
export function writeSummary(dir: string, summary: RunSummary): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${summary.run}.summary.json`);
  writeFileAtomic(file, JSON.stringify(summary, null, 2));
  return file;
}

/**
 * Writes the run's summary, appends the run to history.json and rewrites
 * index.html. Returns the files it had to skip (named in the index too).
 */
export function recordRun(dir: string, summary: RunSummary): Unreadable[] {
  writeSummary(dir, summary);
  const { history, unreadable: badHistory } = readHistory(dir);
  history.push({ run: summary.run, startedAt: summary.startedAt, durationMs: summary.durationMs, success: summary.success, counts: summary.counts });
  writeFileAtomic(join(dir, 'history.json'), JSON.stringify(history.slice(-HISTORY_LIMIT), null, 1));
  const { summaries, unreadable } = readSummaries(dir);
  const skipped = [...badHistory, ...unreadable];
  writeFileAtomic(join(dir, 'index.html'), renderIndex(summaries, history, skipped, readOutputs(dir)));
  return skipped;
}

/** What the outputs writer said about <reports>/outputs (its index.json), if it ran. */
export interface OutputsIndex {
  runId: string;
  writtenAt: string;
  written: { name: string; bytes: number; from: string[]; detail?: string }[];
  notWritten: { name: string; why: string }[];
  teamWritten: string[];
}

function readOutputs(dir: string): OutputsIndex | undefined {
  const file = join(dir, 'outputs', 'index.json');
  if (!existsSync(file)) return undefined;
  const parsed = parseJson(readFileSync(file, 'utf8'));
  return parsed && typeof parsed === 'object' && Array.isArray((parsed as OutputsIndex).written) ? (parsed as OutputsIndex) : undefined;
}

/** The plan's outputs section: each file with what it came from, and why the others were not written. */
export function renderOutputs(o: OutputsIndex): string {
  const written = o.written
    .map((w) => `<tr><td><a href="outputs/${esc(w.name)}">${esc(w.name)}</a></td><td>${w.bytes} bytes${w.detail ? ` · ${esc(w.detail)}` : ''}</td><td>${esc(w.from.join('; '))}</td></tr>`)
    .join('');
  const missing = o.notWritten.map((n) => `<tr class="not-verified"><td>${esc(n.name)}</td><td colspan="2">not written: ${esc(n.why)}</td></tr>`).join('');
  return `<section id="outputs"><h2>The plan's outputs <small>run ${esc(o.runId)} · ${esc(o.writtenAt)}</small></h2>
<p>Written by kubeproof from what this run observed (nothing else); ${o.teamWritten.map((t) => `<code>${esc(t)}</code>`).join(', ')} stay the team's own writing.</p>
<table><tr><th>file</th><th>size</th><th>observed in (scenario)</th></tr>${written}${missing}</table></section>`;
}

function readHistory(dir: string): { history: HistoryEntry[]; unreadable: Unreadable[] } {
  const file = join(dir, 'history.json');
  if (!existsSync(file)) return { history: [], unreadable: [] };
  const parsed = parseJson(readFileSync(file, 'utf8'));
  if (Array.isArray(parsed)) return { history: parsed as HistoryEntry[], unreadable: [] };
  // Kept aside rather than overwritten, so the trend can be recovered by hand.
  renameSync(file, `${file}.unreadable`);
  return { history: [], unreadable: [{ file: 'history.json', reason: `${describeBad(parsed)}; moved to history.json.unreadable, trend restarted` }] };
}

/** Every *.summary.json of the directory that parses as a run summary; the others are named with what is wrong with them. */
export function readSummaries(dir: string): { summaries: RunSummary[]; unreadable: Unreadable[] } {
  const summaries: RunSummary[] = [];
  const unreadable: Unreadable[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.summary.json'))) {
    const problem = summaryProblem(readFileSync(join(dir, file), 'utf8'));
    if (typeof problem === 'string') unreadable.push({ file, reason: problem });
    else summaries.push(problem);
  }
  summaries.sort((a, b) => runOrder(a.run) - runOrder(b.run) || a.run.localeCompare(b.run));
  return { summaries, unreadable };
}

/** The summary in a file's text, or what is wrong with it. */
export function summaryProblem(text: string): RunSummary | string {
  const parsed = parseJson(text);
  if (parsed instanceof Error || parsed === EMPTY) return describeBad(parsed);
  const s = parsed as Partial<RunSummary> | null;
  if (!s || typeof s.run !== 'string' || !s.counts || !Array.isArray(s.scenarios)) return 'not a run summary (no run, counts or scenarios)';
  return s as RunSummary;
}

const EMPTY = Symbol('empty');

function parseJson(text: string): unknown {
  if (!text.trim()) return EMPTY;
  try {
    return JSON.parse(text);
  } catch (e) {
    return e as Error;
  }
}

function describeBad(parsed: unknown): string {
  if (parsed === EMPTY) return 'empty (the run that wrote it was interrupted?)';
  if (parsed instanceof Error) return `not valid JSON (${parsed.message})`;
  return 'not the expected JSON shape';
}

/** Milestones in plan order (m1, m2, ... m11), everything else after them. */
function runOrder(run: string): number {
  const m = /^m(\d+)$/.exec(run);
  return m ? Number(m[1]) : 1000;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A run's verdict: failed if any criterion failed, else not verified if any was, else passed (or "no criteria"). */
export function runVerdict(counts: RunSummary['counts']): Outcome | 'no criteria' {
  if (counts.failed) return 'failed';
  if (counts['not verified']) return 'not verified';
  if (counts.passed) return 'passed';
  return counts.skipped ? 'skipped' : 'no criteria';
}

const cls = (verdict: string) => verdict.replace(/ /g, '-');
const badge = (verdict: string) => `<span class="verdict ${cls(verdict)}">${esc(verdict)}</span>`;

export function renderIndex(summaries: RunSummary[], history: HistoryEntry[], unreadable: Unreadable[] = [], outputs?: OutputsIndex): string {
  const rows = summaries
    .map((s) => {
      const trend = history
        .filter((h) => h.run === s.run)
        .slice(-12)
        .map(
          (h) =>
            `<span class="dot ${cls(runVerdict(h.counts))}" title="${esc(h.startedAt)}: ${runVerdict(h.counts)} — ${h.counts.passed} passed, ${h.counts.failed} failed, ${h.counts['not verified']} not verified, ${formatDuration(h.durationMs)}"></span>`,
        )
        .join('');
      const scenarios = s.scenarios
        .map(
          (c) =>
            `<tr class="${cls(c.outcome)}"><td>${badge(c.outcome)}</td><td>${esc(c.name)}</td><td>${esc(c.feature)}</td><td>${formatDuration(c.durationMs)}</td><td>${esc(c.message ?? '')}</td></tr>`,
        )
        .join('');
      return `<section id="run-${esc(s.run)}">
<h2>${badge(runVerdict(s.counts))} <a href="${esc(s.html)}">${esc(s.run)}</a> <small>${esc(s.startedAt)} · ${formatDuration(s.durationMs)}</small></h2>
<p class="counts"><b class="passed">${s.counts.passed} passed</b> · <b class="failed">${s.counts.failed} failed</b> · <b class="not-verified">${s.counts['not verified']} not verified</b> · ${s.counts.skipped} skipped · trend ${trend}</p>
<table><tr><th>verdict</th><th>criterion (scenario)</th><th>feature</th><th>duration</th><th>reason: what failed, or why it could not be verified</th></tr>${scenarios}</table>
</section>`;
    })
    .join('\n');
  const overview = summaries
    .map(
      (s) =>
        `<tr><td><a href="${esc(s.html)}">${esc(s.run)}</a></td><td>${badge(runVerdict(s.counts))}</td><td class="passed">${s.counts.passed}</td><td class="failed">${s.counts.failed}</td><td class="not-verified">${s.counts['not verified']}</td><td>${s.counts.skipped}</td><td>${formatDuration(s.durationMs)}</td><td>${esc(s.startedAt)}</td><td><a href="#run-${esc(s.run)}">details</a></td></tr>`,
    )
    .join('');
  const skipped = unreadable.length
    ? `<div class="unreadable"><b>Skipped ${unreadable.length} unreadable file(s):</b><ul>${unreadable.map((u) => `<li><code>${esc(u.file)}</code>: ${esc(u.reason)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kubeproof reports</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px;margin-bottom:1em}table.overview{width:auto}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.passed{color:#1e7e34}.failed{color:#c0392b}.not-verified{color:#b9770e}
.verdict{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:13px;font-weight:bold;white-space:nowrap;background:#888}
.verdict.passed{background:#1e7e34}.verdict.failed{background:#c0392b}.verdict.not-verified{background:#e6a817}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:2px;background:#aaa}.dot.passed{background:#1e7e34}.dot.failed{background:#c0392b}.dot.not-verified{background:#e6a817}
.unreadable{border:1px solid #e6a817;background:#fff8e6;padding:4px 12px;margin-bottom:1em}
small{color:#777;font-weight:normal}
</style></head><body>
<h1>kubeproof reports</h1>
<p>Three verdicts: ${badge('passed')} the criterion was observed to hold; ${badge('failed')} it was observed not to hold (a platform that is down fails); ${badge('not verified')} it could not be checked here — the reason says why. A run is failed if any criterion failed, else not verified if any was. Each section links the run's full HTML report (queries, observed values, charts, diagnostics).</p>
${skipped}
${summaries.length ? `<table class="overview"><tr><th>run</th><th>verdict</th><th>passed</th><th>failed</th><th>not verified</th><th>skipped</th><th>duration</th><th>started</th><th></th></tr>${overview}</table>` : ''}
${outputs ? renderOutputs(outputs) : ''}
${rows || '<p>No runs recorded yet.</p>'}
</body></html>
`;
}

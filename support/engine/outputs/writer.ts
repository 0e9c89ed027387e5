import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorText, formatDuration } from '../errors';
import { hpaChartSpec, renderSvg, type Span, timelineChart } from '../evidence/chart';
import { svgToPng } from '../evidence/png';
import { hpaScalingEvents, logSearchText, resilienceObservations, scalingTestResults, tlsConfigSummary } from './files';
import { type Observation, type ObservationKind, ofKind, type RecoveryObservation } from '../observations';
import { captionFrame, encodeVideo, type VideoFrame } from './video';

/** The plan's output files kubeproof writes; operator-procedures.md stays the team's own. */
export const OUTPUT_FILES = [
  'hpa-scaling-events.txt',
  'hpa-scaling.png',
  'scaling-test-results.md',
  'log-search.txt',
  'log-search.png',
  'prometheus-targets.png',
  'tls-config-summary.md',
  'resilience-drill.mp4',
  'resilience-observations.md',
] as const;
export type OutputName = (typeof OUTPUT_FILES)[number];

/** Which outputs each kind of observation feeds (the report links them where the observation was made). */
export const OUTPUTS_OF: Record<ObservationKind, readonly OutputName[]> = {
  hpa: ['hpa-scaling-events.txt', 'hpa-scaling.png', 'scaling-test-results.md'],
  load: ['scaling-test-results.md'],
  throughput: ['scaling-test-results.md'],
  'log-search': ['log-search.txt', 'log-search.png'],
  screenshot: ['prometheus-targets.png'],
  tls: ['tls-config-summary.md'],
  plaintext: ['tls-config-summary.md'],
  'client-tls': ['tls-config-summary.md'],
  recovery: ['resilience-observations.md', 'resilience-drill.mp4'],
};

export interface OutputsResult {
  dir: string;
  runId: string;
  written: { name: OutputName; bytes: number; from: string[]; detail?: string; source?: string }[];
  notWritten: { name: OutputName; why: string }[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Writes every output the observations support into `dir` and says why the
 * others were not written (index.json beside them). Text passes through
 * `redact` on its way out, whatever the observations hold.
 */
export async function writeOutputs(
  observations: Observation[],
  dir: string,
  opts: { runId: string; redact: (s: string) => string; nowMs?: number; removeStale?: boolean },
): Promise<OutputsResult> {
  mkdirSync(dir, { recursive: true });
  const previous = readIndex(dir);
  const result: OutputsResult = { dir, runId: opts.runId, written: [], notWritten: [] };
  const put = (name: OutputName, data: string | Buffer, from: Observation[], detail?: string) => {
    const bytes = typeof data === 'string' ? Buffer.from(opts.redact(data)) : data;
    writeFileSync(join(dir, `${name}.tmp`), bytes);
    renameSync(join(dir, `${name}.tmp`), join(dir, name));
    result.written.push({ name, bytes: bytes.length, from: [...new Set(from.map((o) => o.scenario))], detail });
  };
  const skip = (name: OutputName, why: string) => result.notWritten.push({ name, why });
  const attempt = async (names: OutputName[], run: () => Promise<void>) => {
    try {
      await run();
    } catch (e) {
      for (const n of names) if (!result.written.some((w) => w.name === n)) skip(n, `could not be made: ${errorText(e).split('\n')[0]}`);
    }
  };
  const last = <T>(xs: T[]) => xs[xs.length - 1];

  // M6: the HPA cycle with a load in it (the latest such), its load and throughput.
  const hpas = ofKind(observations, 'hpa');
  const hpa = last(hpas.filter((h) => h.data.load)) ?? last(hpas);
  if (!hpa) for (const n of ['hpa-scaling-events.txt', 'hpa-scaling.png', 'scaling-test-results.md'] as const) skip(n, 'no HPA was observed in this run (M6)');
  else {
    const load = last(ofKind(observations, 'load'));
    const throughput = last(ofKind(observations, 'throughput'));
    const endMs = last(hpa.data.rows)?.atMs ?? opts.nowMs ?? Date.now();
    put('hpa-scaling-events.txt', hpaScalingEvents(hpa.data), [hpa]);
    put('scaling-test-results.md', scalingTestResults(hpa.data, load?.data, throughput?.data, endMs), [
      hpa,
      ...(load ? [load] : []),
      ...(throughput ? [throughput] : []),
    ]);
    await attempt(['hpa-scaling.png'], async () => {
      const l = hpa.data.load;
      const svg = await renderSvg(
        hpaChartSpec(
          hpa.data.rows,
          `HPA ${hpa.data.hpa}: replicas and CPU over the scaling cycle`,
          l ? { startMs: l.startedAtMs, endMs: l.endedAtMs } : undefined,
        ),
      );
      put('hpa-scaling.png', svgToPng(opts.redact(svg.toString('utf8'))), [hpa]);
    });
  }

  // M5: the filtered log queries and what they returned.
  const searches = ofKind(observations, 'log-search');
  if (!searches.length) for (const n of ['log-search.txt', 'log-search.png'] as const) skip(n, 'no LogQL query was run in this run (M5)');
  else {
    put('log-search.txt', logSearchText(searches.map((s) => s.data)), searches);
    await attempt(['log-search.png'], async () => {
      // The plan's screenshot is of *filtered* logs: the queries with a line filter, when there are any.
      const filtered = searches.filter((s) => /\|[=~]/.test(s.data.query));
      const shown = filtered.length ? filtered : searches;
      const lines = shown.flatMap((s) => [
        `LogQL ${s.data.query}   → ${s.data.limitReached ? 'at least ' : ''}${s.data.count} line(s), ${iso(s.data.sinceMs)} to ${iso(s.data.untilMs)}`,
        ...s.data.lines.slice(-8).map(([t, pod, line]) => `${iso(t)} ${pod} ${line}`),
        '',
      ]);
      const frame = captionFrame({
        title: 'Loki log search (M5)',
        caption: `${shown.length} ${filtered.length ? 'filtered ' : ''}LogQL quer${shown.length === 1 ? 'y' : 'ies'} as kubeproof ran them against Loki, with the newest lines each returned`,
        lines,
        height: Math.min(1400, 200 + lines.length * 24),
      });
      put('log-search.png', svgToPng(opts.redact(frame)), shown, 'a rendering of the queries and their results (Loki has no UI of its own)');
    });
  }

  // M2: Prometheus's own targets page, as the browser showed it.
  const shot = last(ofKind(observations, 'screenshot').filter((s) => s.data.output === 'prometheus-targets.png'));
  if (shot) put('prometheus-targets.png', Buffer.from(shot.data.png, 'base64'), [shot], shot.data.url);
  else skip('prometheus-targets.png', 'no screenshot of the Prometheus targets page was taken in this run (M2)');

  // M7/M8: TLS as the handshakes and probes saw it.
  const tls = ofKind(observations, 'tls');
  const plaintext = ofKind(observations, 'plaintext');
  const clients = ofKind(observations, 'client-tls');
  if (tls.length || plaintext.length)
    put(
      'tls-config-summary.md',
      tlsConfigSummary(
        latestPer(tls, (t) => `${t.data.service}:${t.data.port}`).map((t) => t.data),
        latestPer(plaintext, (p) => p.data.service).map((p) => p.data),
        latestPer(clients, (c) => `${c.data.client}→${c.data.server}`).map((c) => c.data),
      ),
      [...tls, ...plaintext, ...clients],
    );
  else skip('tls-config-summary.md', 'no TLS handshake was observed in this run (M7, M8)');

  // M9: each recovery, as a record and as a video.
  const recoveries = ofKind(observations, 'recovery');
  if (!recoveries.length)
    for (const n of ['resilience-observations.md', 'resilience-drill.mp4'] as const) skip(n, 'no pod deletion was observed in this run (M9)');
  else {
    put('resilience-observations.md', resilienceObservations(recoveries.map((r) => r.data)), recoveries);
    await attempt(['resilience-drill.mp4'], async () => {
      // Encoding takes a while: the same recoveries (a later milestone process of the same run) keep the video.
      const source = createHash('sha256').update(JSON.stringify(recoveries)).digest('hex').slice(0, 16);
      const kept = previous?.written.find((w) => w.name === 'resilience-drill.mp4' && w.source === source);
      if (kept && previous?.runId === opts.runId && existsSync(join(dir, 'resilience-drill.mp4'))) {
        result.written.push(kept);
        return;
      }
      const frames = (
        await drillFrames(
          recoveries.map((r) => r.data),
          opts.runId,
        )
      ).map((f) => ({ ...f, svg: opts.redact(f.svg) }));
      const tmp = join(dir, 'resilience-drill.tmp.mp4');
      const v = await encodeVideo(frames, tmp);
      renameSync(tmp, join(dir, 'resilience-drill.mp4'));
      result.written.push({
        name: 'resilience-drill.mp4',
        bytes: statSync(join(dir, 'resilience-drill.mp4')).size,
        from: [...new Set(recoveries.map((r) => r.scenario))],
        detail: `${v.durationSeconds.toFixed(1)} s, ${v.frames} frames`,
        source,
      });
    });
  }

  // Outputs of an earlier run that this run did not observe must not pass for this run's (never in a team's repository).
  if (opts.removeStale) for (const n of result.notWritten) if (existsSync(join(dir, n.name))) rmSync(join(dir, n.name));
  writeFileSync(
    join(dir, 'index.json'),
    `${JSON.stringify({ runId: opts.runId, writtenAt: new Date().toISOString(), written: result.written, notWritten: result.notWritten, teamWritten: ['operator-procedures.md'] }, null, 2)}\n`,
  );
  return result;
}

function readIndex(dir: string): { runId: string; written: OutputsResult['written'] } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { runId: string; written: OutputsResult['written'] };
  } catch {
    return undefined;
  }
}

function latestPer<T extends Observation>(xs: T[], key: (x: T) => string): T[] {
  const m = new Map<string, T>();
  for (const x of xs) m.set(key(x), x);
  return [...m.values()];
}

/** The drill video's frames: for each deletion, the pods before, each phase as it was observed, the timeline chart, the pods and logs after. */
export async function drillFrames(recoveries: RecoveryObservation[], runId: string): Promise<VideoFrame[]> {
  const frames: VideoFrame[] = [];
  const title = 'Resilience drill (M9), recorded by kubeproof';
  const verdict = (r: RecoveryObservation) =>
    r.readyAtMs === undefined
      ? `NOT recovered (bound ${formatDuration(r.boundMs)})`
      : `Ready again after ${formatDuration(r.readyAtMs - r.deletedAtMs)} (bound ${formatDuration(r.boundMs)}: ${r.readyAtMs - r.deletedAtMs <= r.boundMs ? 'met' : 'NOT met'})`;
  frames.push({
    seconds: 4,
    svg: captionFrame({
      title,
      caption: `run ${runId}: ${recoveries.length} pod deletion(s), each observed through the API server`,
      lines: recoveries.map((r) => `${iso(r.deletedAtMs)}  ${r.kind} ${r.name}: ${verdict(r)}`),
    }),
  });
  for (const r of recoveries) {
    frames.push({
      seconds: 3,
      svg: captionFrame({
        title,
        caption: `${iso(r.deletedAtMs)} — deleting ${r.deletedPods.join(', ')} (${r.kind} ${r.name})`,
        lines: ['pods before:', ...r.podsBefore],
      }),
    });
    const marks = [...r.marks].sort((a, b) => a.atMs - b.atMs).slice(0, 10);
    marks.forEach((m, i) =>
      frames.push({
        seconds: 1.5,
        svg: captionFrame({
          title,
          caption: `${iso(m.atMs)} (+${formatDuration(Math.max(0, m.atMs - r.deletedAtMs))}) — ${m.label}`,
          lines: ['recovery so far:', ...marks.slice(0, i + 1).map((x) => `+${formatDuration(Math.max(0, x.atMs - r.deletedAtMs)).padEnd(8)} ${x.label}`)],
        }),
      }),
    );
    if (marks.length) {
      const end = r.readyAtMs ?? Math.max(...marks.map((m) => m.atMs));
      const spans: Span[] = marks.map((m, i) => ({
        label: m.label,
        startMs: r.deletedAtMs,
        endMs: Math.max(m.atMs, marks[i - 1]?.atMs ?? r.deletedAtMs),
        phase: m.label.replace(/^.* /, ''),
      }));
      spans.push({ label: 'all replicas Ready again', startMs: r.deletedAtMs, endMs: end, phase: 'recovery' });
      frames.push({ seconds: 3, svg: (await timelineChart(spans, `${r.kind} ${r.name}: ${verdict(r)}`)).toString('utf8') });
    }
    frames.push({
      seconds: 4,
      svg: captionFrame({
        title,
        caption: `${r.kind} ${r.name}: ${verdict(r)}`,
        lines: ['pods after:', ...r.podsAfter, '', 'log lines of the replacement after the deletion:', ...r.logs.slice(-12)],
      }),
    });
  }
  const total = frames.reduce((n, f) => n + f.seconds, 0);
  // The plan allows 3 minutes: long drills are shown faster, never cut.
  const scale = total > 170 ? 170 / total : 1;
  return frames.map((f) => ({ ...f, seconds: Math.max(0.5, f.seconds * scale) }));
}

import { formatDuration } from '../errors';
import type {
  ClientTlsObservation,
  HpaObservation,
  HpaRow,
  LoadObservation,
  LogSearchObservation,
  PlaintextObservation,
  RecoveryObservation,
  ThroughputObservation,
  TlsObservation,
} from '../observations';

/**
 * The plan's text outputs, each a pure function of what the checks observed:
 * change an observation and the file changes with it. Nothing here is
 * written from expectations.
 */

const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : `${Math.round(x)}%`);
const num = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

/** Columns as kubectl prints them: upper-case headers, padded with spaces, nothing truncated. */
export function kubectlColumns(rows: Record<string, string | number>[]): string {
  if (!rows.length) return '';
  const keys = Object.keys(rows[0]);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i])))
      .join('   ')
      .trimEnd();
  return [line(keys), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}

/** A markdown table; pipes in cells are escaped. */
export function markdownTable(rows: Record<string, string | number>[]): string {
  if (!rows.length) return '';
  const keys = Object.keys(rows[0]);
  const cell = (v: string | number) => String(v).replace(/\|/g, '\\|');
  return [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`)].join('\n');
}

/** Rows that differ from the row before (time aside): what `kubectl get hpa --watch` prints. */
export function hpaChanges(rows: HpaRow[]): HpaRow[] {
  const key = (r: HpaRow) => `${r.cpu}|${r.target}|${r.min}|${r.max}|${r.current}|${r.desired}`;
  return rows.filter((r, i) => i === 0 || key(r) !== key(rows[i - 1]));
}

/** outputs/hpa-scaling-events.txt: the HPA over the whole cycle, `kubectl get hpa --watch` form, then its events. */
export function hpaScalingEvents(h: HpaObservation): string {
  const rows = hpaChanges(h.rows).map((r) => ({
    TIME: iso(r.atMs),
    NAME: h.hpa,
    REFERENCE: r.reference,
    TARGETS: `cpu: ${r.cpu === undefined ? '<unknown>' : `${r.cpu}%`}/${r.target ?? '?'}%`,
    MINPODS: r.min,
    MAXPODS: r.max,
    REPLICAS: r.current,
    DESIRED: r.desired,
  }));
  const load = h.load
    ? `# load: k6 ${h.load.script} against ${h.load.target}, ${iso(h.load.startedAtMs)} → ${iso(h.load.endedAtMs)} (planned ${formatDuration(h.load.plannedMs)})`
    : '# load: none recorded in this scenario';
  const events = h.events.map((e) => ({ TIME: iso(e.atMs), REASON: e.reason, MESSAGE: e.message }));
  return [
    `# kubectl get hpa ${h.hpa} -n ${h.namespace} --watch — as observed by kubeproof (API server watch), one row per change`,
    load,
    '',
    kubectlColumns(rows),
    '',
    `# events of HorizontalPodAutoscaler ${h.hpa} (kubectl get events -n ${h.namespace} --field-selector involvedObject.name=${h.hpa})`,
    events.length ? kubectlColumns(events) : '(none)',
    '',
  ].join('\n');
}

export interface ReplicaLevel {
  replicas: number;
  startMs: number;
  endMs: number;
  cpu?: number;
  throughput?: number;
}

/** The periods the HPA spent at each replica count, with the mean CPU and throughput observed in each. */
export function replicaLevels(h: HpaObservation, throughput: ThroughputObservation | undefined, endMs: number): ReplicaLevel[] {
  const levels: ReplicaLevel[] = [];
  for (const r of h.rows) {
    const last = levels[levels.length - 1];
    if (last && last.replicas === r.current) continue;
    if (last) last.endMs = r.atMs;
    levels.push({ replicas: r.current, startMs: r.atMs, endMs });
  }
  for (const l of levels) {
    l.cpu = mean(h.rows.filter((r) => r.atMs >= l.startMs && r.atMs < l.endMs && r.cpu !== undefined).map((r) => r.cpu!));
    l.throughput = mean((throughput?.points ?? []).filter(([t, v]) => t >= l.startMs && t < l.endMs && Number.isFinite(v)).map(([, v]) => v));
  }
  return levels;
}

/** Scale-up: load start → first replica count above the one before the load. Scale-down: load end → back to it. */
export function scalingDurations(h: HpaObservation): { before?: number; upMs?: number; peak?: number; peakMs?: number; downMs?: number } {
  if (!h.load) return {};
  const start = h.load.startedAtMs;
  const before = [...h.rows].reverse().find((r) => r.atMs <= start)?.current ?? h.rows[0]?.current;
  const up = h.rows.find((r) => r.atMs >= start && before !== undefined && r.current > before);
  const peak = Math.max(...h.rows.filter((r) => r.atMs >= start).map((r) => r.current));
  const peakRow = h.rows.find((r) => r.atMs >= start && r.current === peak);
  const end = h.load.endedAtMs;
  const down = end !== undefined ? h.rows.find((r) => r.atMs >= end && r.current === before) : undefined;
  return {
    before,
    upMs: up ? up.atMs - start : undefined,
    peak: Number.isFinite(peak) ? peak : undefined,
    peakMs: peakRow ? peakRow.atMs - start : undefined,
    downMs: down && end !== undefined ? down.atMs - end : undefined,
  };
}

/** outputs/scaling-test-results.md */
export function scalingTestResults(h: HpaObservation, load: LoadObservation | undefined, throughput: ThroughputObservation | undefined, endMs: number): string {
  const levels = replicaLevels(h, throughput, endMs);
  const d = scalingDurations(h);
  const levelRows = levels.map((l) => ({
    replicas: l.replicas,
    from: iso(l.startMs),
    to: iso(l.endMs),
    for: formatDuration(l.endMs - l.startMs),
    'mean CPU (% of request)': pct(l.cpu),
    [`mean ${throughput?.query ?? 'throughput'}`]: l.throughput === undefined ? 'not observed' : num(l.throughput),
    phase: !h.load
      ? ''
      : l.endMs <= h.load.startedAtMs
        ? 'before the load'
        : h.load.endedAtMs !== undefined && l.startMs >= h.load.endedAtMs
          ? 'after the load'
          : 'during the load',
  }));
  const lines = [
    `# Scaling test results — HPA ${h.hpa} (${h.namespace})`,
    '',
    'Written by kubeproof from what it observed during the M6 scenario: the HPA through an API server watch, the load from k6’s own summary, the throughput from Prometheus. Times are UTC.',
    '',
    '## Baseline',
    '',
    `- replicas before the load: ${d.before ?? 'not observed'}`,
    `- throughput before the load: ${throughput ? `${num(throughput.baseline)} (mean of \`${throughput.query}\` over the window before the load)` : 'not observed'}`,
    '',
    '## Scaling levels',
    '',
    levelRows.length ? markdownTable(levelRows) : '(no HPA state recorded)',
    '',
    '## Durations',
    '',
    `- load: ${h.load ? `${iso(h.load.startedAtMs)} → ${iso(h.load.endedAtMs)}` : 'none recorded'}`,
    `- scale-up (load start → first replica above ${d.before ?? '?'}): ${d.upMs === undefined ? 'not observed' : formatDuration(d.upMs)}`,
    `- peak: ${d.peak ?? '-'} replicas, reached ${d.peakMs === undefined ? '-' : `${formatDuration(d.peakMs)} after the load started`}`,
    `- scale-down (load end → back to ${d.before ?? '?'}): ${d.downMs === undefined ? 'not observed' : formatDuration(d.downMs)}`,
    `- throughput during the second half of the load: ${throughput ? `${num(throughput.loaded)} (${Number.isFinite(throughput.risePct) ? `${throughput.risePct >= 0 ? '+' : ''}${throughput.risePct.toFixed(1)}%` : 'from 0'} against the baseline)` : 'not observed'}`,
    '',
    '## Load (k6 summary)',
    '',
  ];
  if (load) {
    lines.push(
      `- script: \`${load.script}\` against ${load.target}`,
      `- requests: ${load.requests ?? '-'} at ${num(load.perSecond, 1)}/s; failed: ${load.failedRate === undefined ? '-' : `${(load.failedRate * 100).toFixed(2)}%`}; p95: ${num(load.p95Ms, 1)} ms`,
      `- k6 exit code: ${load.exitCode ?? '-'}`,
      ...load.thresholds.map((t) => `- threshold ${t.metric} \`${t.expression}\`: ${t.ok ? 'met' : 'FAILED'}`),
    );
  } else lines.push('- not observed (no k6 summary in this run)');
  return `${lines.join('\n')}\n`;
}

/** outputs/tls-config-summary.md: what the TLS checks saw, service by service, and who connects how. */
export function tlsConfigSummary(tls: TlsObservation[], plaintext: PlaintextObservation[], clients: ClientTlsObservation[]): string {
  const services = [...new Set([...tls.map((t) => t.service), ...plaintext.map((p) => p.service)])];
  const lines = [
    '# TLS configuration summary',
    '',
    'Written by kubeproof from its TLS handshakes (made from the verifier, validated against the CA the platform publishes) and its plaintext probes. Nothing here is copied from configuration files.',
    '',
  ];
  for (const s of services) {
    lines.push(`## ${s}`, '');
    for (const t of tls.filter((x) => x.service === s)) {
      lines.push(
        `Handshake with ${t.address} (port ${t.port}) as \`${t.serverName}\` — ${t.verified ? 'validated' : `NOT validated: ${t.problems.join('; ')}`}`,
        '',
        '| field | observed |',
        '|---|---|',
        ...(
          [
            ['protocol', t.protocol],
            ['cipher', t.cipher],
            ['subject', t.subject],
            ['issuer', t.issuer],
            ['subject alternative names', t.subjectAltName],
            ['valid from', t.validFrom],
            ['valid to', t.validTo],
            ['trusted through', t.caSource],
          ] as [string, string | undefined][]
        ).map(([k, v]) => `| ${k} | ${(v ?? '-').replace(/\|/g, '\\|')} |`),
        '',
      );
    }
    for (const p of plaintext.filter((x) => x.service === s)) {
      lines.push(
        `Plaintext on port ${p.plaintextPort} and TLS on port ${p.tlsPort}, at every address a client could reach:`,
        '',
        '| address | plaintext | TLS | as required |',
        '|---|---|---|---|',
        ...p.addresses.map((a) => `| ${a.address} | ${a.plaintext} | ${a.tls} | ${a.ok ? 'yes' : 'NO'} |`),
        '',
      );
    }
  }
  lines.push('## Clients', '');
  if (clients.length)
    lines.push(
      '| client | server | how | proof |',
      '|---|---|---|---|',
      ...clients.map((c) => `| ${c.client} | ${c.server} | ${c.how} | ${c.proof.replace(/\|/g, '\\|')} |`),
    );
  else lines.push('No client connection was observed in this run.');
  return `${lines.join('\n')}\n`;
}

/** outputs/log-search.txt: each filtered query and the lines it returned. */
export function logSearchText(searches: LogSearchObservation[]): string {
  return `${searches
    .map((s) =>
      [
        `### LogQL: ${s.query}`,
        `### range ${iso(s.sinceMs)} → ${iso(s.untilMs)}: ${s.limitReached ? `at least ${s.count} line(s) (the query's limit)` : `${s.count} line(s)`}${s.lines.length < s.count ? `, the newest ${s.lines.length} shown` : ''}`,
        ...s.lines.map(([t, labels, line]) => `${iso(t)} ${labels} ${line}`),
        '',
      ].join('\n'),
    )
    .join('\n')}`;
}

/** outputs/resilience-observations.md: each recovery's measured phases, for the team's operator procedures to cite. */
export function resilienceObservations(recoveries: RecoveryObservation[]): string {
  const lines = [
    '# Resilience observations',
    '',
    'Written by kubeproof from the M9 run: each pod deletion, and the phases of its recovery as the API server reported them (watch). The operator procedures themselves are the team’s to write.',
    '',
  ];
  for (const r of recoveries) {
    const took = r.readyAtMs === undefined ? undefined : r.readyAtMs - r.deletedAtMs;
    lines.push(
      `## ${r.kind} ${r.name} (${r.namespace})`,
      '',
      `- deleted: ${r.deletedPods.join(', ')} at ${iso(r.deletedAtMs)}`,
      `- recovered: ${took === undefined ? 'NO — not all replicas Ready again' : `all replicas Ready after ${formatDuration(took)}`} (bound ${formatDuration(r.boundMs)}: ${took !== undefined && took <= r.boundMs ? 'met' : 'NOT met'})`,
      '',
      '| after the deletion | event |',
      '|---|---|',
      ...r.marks.map((m) => `| +${formatDuration(Math.max(0, m.atMs - r.deletedAtMs))} | ${m.label} |`),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

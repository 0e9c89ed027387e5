import type { WorkloadKind } from '../clients/kube/client';
import { type QueryExpectationResult, type RangeQueryResult, summarizeInstant, type Target } from '../clients/prometheus';
import { ExpectationTimeoutError, formatLabels } from '../clients/series';
import { type Comparison, describeComparison } from '../engine/compare';
import { BadInputError, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { Browser } from '../clients/browser';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/** "the PromQL `q` is greater than 0 within 2m": waits, then shows the query, the samples and a chart. */
export function promqlSatisfies(ctx: Ctx, query: string, cmp: Comparison, threshold: number, withinMs: number, quantifier: 'all' | 'any' = 'all'): StepResult {
  return ctx.check(`PromQL \`${query}\` ${describeComparison(cmp, threshold)}`, async () => {
    const prom = await ctx.clients.prometheus();
    try {
      const result = await prom.expectQuery(query, cmp, threshold, withinMs, { quantifier });
      await attachExpectation(ctx, result);
      return `${summarizeInstant(result.observation!)} after ${formatDuration(result.elapsedMs)}`;
    } catch (e) {
      if (e instanceof ExpectationTimeoutError) await attachExpectation(ctx, e.evidence as QueryExpectationResult);
      throw e;
    }
  });
}

/**
 * "the PromQL `sum(processor_messages_consumed_total)` increases within 2m": a
 * value newer than the step's start exceeds the lowest one seen since, so
 * activity *after* this point is proven (a rate over an old window is not).
 * Taking the lowest value copes with a counter reset by a restarted pod.
 */
export function promqlIncreases(ctx: Ctx, query: string, withinMs: number): StepResult {
  return ctx.check(`PromQL \`${query}\` increases`, async () => {
    const prom = await ctx.clients.prometheus();
    const startedMs = Date.now();
    let lowest: number | undefined;
    let url = '';
    const seen: { atMs: number; value: number; summary: string }[] = [];
    try {
      const r = await waitUntil<number>({
        what: `\`${query}\` to increase`,
        timeoutMs: withinMs,
        intervalMs: 2000,
        signal: ctx.signal,
        check: async () => {
          const q = await prom.query(query);
          url = q.request.url;
          if (q.samples.length > 1)
            throw new BadInputError(`\`${query}\` returned ${q.samples.length} series; "increases" needs exactly one (wrap it in sum(...))`);
          // No series yet is no value yet (a replaced pod not scraped so far), not bad input: keep waiting.
          if (!q.samples.length) return { ok: false, summary: 'no series (nothing scraped yet)' };
          const v = q.samples[0].value;
          const ok = lowest !== undefined && v > lowest;
          const summary = lowest === undefined ? `first value ${v}` : `${v} (lowest since start ${lowest})`;
          seen.push({ atMs: Date.now(), value: v, summary });
          if (lowest === undefined || v < lowest) lowest = v;
          return { ok, value: v, summary };
        },
      });
      return `rose from ${lowest} to ${r.value} within ${formatDuration(r.elapsedMs)}`;
    } finally {
      await ctx.evidence.text(
        `PromQL: ${query}`,
        [
          `Query:     ${query}`,
          'Expected:  a value above the lowest seen since the step began',
          `Asked:     ${url || '(no answer)'}`,
          '',
          'Observed:',
          ...seen.map((o) => `  +${formatDuration(o.atMs - startedMs).padEnd(7)} ${o.summary}`),
        ].join('\n'),
      );
      if (seen.length)
        await ctx.evidence.lineChart([{ name: query, points: seen.map((o) => [o.atMs, o.value] as [number, number]) }], {
          title: `${query} since the step began`,
          yTitle: 'value',
        });
    }
  });
}

/** Counts the series a query returns (`count(q) or vector(0)`, so "fewer than 1" can pass too). */
export function promqlSeriesCount(ctx: Ctx, query: string, cmp: Comparison, count: number, withinMs: number): StepResult {
  return promqlSatisfies(ctx, `count(${query}) or vector(0)`, cmp, count, withinMs);
}

/** "Prometheus has an up target for job `producer`". */
export function targetHealthy(ctx: Ctx, job: string, withinMs: number): StepResult {
  return ctx.check(`Prometheus target for job "${job}" is up`, async () => {
    const prom = await ctx.clients.prometheus();
    try {
      const r = await prom.waitForTarget(job, 'up', withinMs);
      await attachTargets(ctx, `targets of job ${job}`, r.request.url, r.targets);
      return `${r.targets.filter((t) => t.health === 'up').length}/${r.targets.length} target(s) of job ${job} up (${r.targets.map((t) => t.scrapeUrl).join(', ')})`;
    } catch (e) {
      const all = await prom.targets().catch(() => undefined);
      if (all) await attachTargets(ctx, 'all scrape targets', all.request.url, all.targets);
      throw e;
    }
  });
}

/** An up target whose labels include `name=value` (e.g. `app=producer` when one job discovers many pods). */
export function targetWithLabelHealthy(ctx: Ctx, selector: string, withinMs: number): StepResult {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"?([^"]*)"?$/.exec(selector.trim());
  return ctx.check(`Prometheus target with ${selector} is up`, async () => {
    if (!m) throw new BadInputError(`"${selector}" is not a label selector`, 'write it as name=value, e.g. app=producer');
    const [, name, value] = m;
    const prom = await ctx.clients.prometheus();
    let seen: Target[] = [];
    let url = '';
    try {
      const r = await waitUntil<Target[]>({
        what: `a Prometheus target with ${name}="${value}" to be up`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        check: async () => {
          const t = await prom.targets();
          url = t.request.url;
          seen = t.targets.filter((x) => x.labels[name] === value);
          return {
            ok: seen.some((x) => x.health === 'up'),
            value: seen,
            summary: seen.length
              ? seen.map((x) => `${x.scrapeUrl} ${x.health}${x.lastError ? ` (${x.lastError})` : ''}`).join(', ')
              : `no target has ${name}="${value}"`,
          };
        },
      });
      return `${r.value!.filter((x) => x.health === 'up').length}/${r.value!.length} target(s) with ${name}="${value}" up: ${r.value!.map((x) => x.scrapeUrl).join(', ')}`;
    } finally {
      await attachTargets(ctx, `targets with ${name}="${value}"`, url, seen);
    }
  });
}

/** "Prometheus has a rule `ProducerStalled`" (alerting or recording, loaded and healthy). */
export function ruleLoaded(ctx: Ctx, name: string): StepResult {
  return ctx.check(`Prometheus rule "${name}" is loaded and healthy`, async () => {
    const prom = await ctx.clients.prometheus();
    const { request, rules } = await prom.rules();
    await ctx.evidence.table(
      `rules (${request.url})`,
      rules.map((r) => ({ group: r.group, name: r.name, type: r.type, health: r.health, state: r.state ?? '', query: r.query, lastError: r.lastError ?? '' })),
    );
    const rule = rules.find((r) => r.name === name);
    if (!rule) throw new Error(`Prometheus has no rule named "${name}"; loaded: ${rules.map((r) => r.name).join(', ') || '(none)'}`);
    if (rule.health !== 'ok') throw new Error(`rule "${name}" is ${rule.health}: ${rule.lastError ?? 'no error text'}`);
    return `${rule.type} rule ${name} in group ${rule.group}, health ok${rule.state ? `, state ${rule.state}` : ''}`;
  });
}

/** "Prometheus is ready": readiness plus the build it runs. */
export function prometheusReady(ctx: Ctx): StepResult {
  return ctx.check('Prometheus is ready', async () => {
    const prom = await ctx.clients.prometheus();
    const ready = await prom.ready();
    const build = await prom.buildInfo();
    await ctx.evidence.json('Prometheus build info', build.raw);
    return `${ready.request.url}: ${ready.text}; version ${build.version}`;
  });
}

/**
 * "the Prometheus targets page is captured": Prometheus's own web UI at
 * /targets, screenshotted with headless Chromium, attached here and kept for
 * outputs/prometheus-targets.png. No browser on this machine: not verified.
 */
export function prometheusTargetsCaptured(ctx: Ctx): StepResult {
  return ctx.check("a screenshot of Prometheus's /targets page", async () => {
    const prom = await ctx.clients.prometheus();
    const url = `${prom.url}/targets`;
    const png = await new Browser().screenshot(url, { width: 1400, height: 900, waitMs: 8000 });
    await ctx.evidence.png(`Prometheus ${url}`, png);
    await ctx.evidence.observe('screenshot', { output: 'prometheus-targets.png', url, png: png.toString('base64') });
    return `${url} captured (${png.length} bytes PNG)`;
  });
}

async function attachExpectation(ctx: Ctx, r: QueryExpectationResult): Promise<void> {
  const e = r.expectation;
  const obs = r.observation;
  await ctx.evidence.text(
    `PromQL: ${e.query}`,
    [
      `Query:     ${e.query}`,
      `Expected:  ${e.description}`,
      `Asked:     ${obs?.request.url ?? '(no answer)'}`,
      `Observed:  ${obs ? summarizeInstant(obs) : '(no answer)'}`,
      `Waited:    ${formatDuration(r.elapsedMs)} over ${r.observations} observation(s)`,
      ...(obs?.warnings.length ? [`Warnings:  ${obs.warnings.join('; ')}`] : []),
      '',
      'Timeline:',
      ...r.timeline.map((t) => `  +${formatDuration(t.atMs).padEnd(7)} ${t.summary}`),
    ].join('\n'),
  );
  if (obs?.samples.length) {
    await ctx.evidence.table(
      'observed samples',
      obs.samples.slice(0, 50).map((s) => ({ series: formatLabels(s.metric) || '(scalar)', value: s.value, at: new Date(s.timeMs).toISOString() })),
    );
  }
  if (r.range) await chartRange(ctx, r.range, { value: e.threshold, label: describeComparison(e.comparison, e.threshold) });
  else if (r.rangeError) await ctx.evidence.text('range query for the chart failed', r.rangeError);
}

export async function chartRange(ctx: Ctx, range: RangeQueryResult, threshold?: { value: number; label: string }): Promise<void> {
  await ctx.evidence.lineChart(
    range.series.map((s) => ({ name: Object.keys(s.metric).length ? formatLabels(s.metric) : range.query, points: s.points })),
    { title: range.query, yTitle: 'value', threshold },
  );
}

async function attachTargets(
  ctx: Ctx,
  title: string,
  url: string,
  targets: { job: string; instance: string; health: string; scrapeUrl: string; lastError: string; lastScrape: string }[],
): Promise<void> {
  await ctx.evidence.table(
    `${title} (${url})`,
    targets.map((t) => ({ job: t.job, instance: t.instance, health: t.health, scrapeUrl: t.scrapeUrl, lastScrape: t.lastScrape, lastError: t.lastError })),
  );
}

/**
 * Fetches a URL from inside a pod of the workload (what `kubectl exec … curl
 * localhost:8000/metrics` does), trying curl, wget, then node, since service
 * images differ in what they ship.
 */
export function podServesMetrics(ctx: Ctx, kind: WorkloadKind, name: string, port: number, path: string, metric?: string): StepResult {
  const namespace = platformNamespace(ctx);
  const url = `http://localhost:${port}${path}`;
  return ctx.check(`a pod of ${kind} ${name} serves Prometheus metrics at ${url}`, async () => {
    const pod = (await ctx.clients.kube().newestReadyPod(namespace, kind, name, 'to exec into')).metadata!.name!;
    const script = `curl -fsS ${url} 2>/dev/null || wget -qO- ${url} 2>/dev/null || node -e "fetch('${url}').then(r=>r.text()).then(t=>process.stdout.write(t)).catch(e=>{console.error(e.message);process.exit(1)})"`;
    const r = await ctx.clients.kube().exec(namespace, pod, undefined, ['sh', '-c', script], ctx.config.timeouts.assert);
    await ctx.evidence.text(
      `kubectl exec -n ${namespace} ${pod} -- (curl|wget|node) ${url}`,
      `exit ${r.exitCode}\n${r.stdout.split('\n').slice(0, 60).join('\n')}${r.stderr ? `\nstderr: ${r.stderr}` : ''}`,
    );
    if (r.exitCode !== 0) throw new Error(`fetching ${url} in pod ${pod} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`);
    const families = [...r.stdout.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((m) => m[1]);
    if (!families.length) throw new Error(`${url} in pod ${pod} answered, but not in the Prometheus text format`);
    if (metric && !new RegExp(`^${metric}(\\{|\\s)`, 'm').test(r.stdout))
      throw new Error(`${url} in pod ${pod} has no metric ${metric}; it has: ${families.slice(0, 30).join(', ')}`);
    return `${families.length} metric families from pod ${pod}${metric ? `, including ${metric}` : ''}`;
  });
}

import type { Alert, PrometheusClient, Rule } from '../clients/prometheus';
import { formatLabels } from '../clients/series';
import { formatPrometheusDuration } from '../engine/duration';
import { formatDuration, WaitTimeoutError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { timelineText } from './shared/timeline';

/** Prometheus alerts: firing within a bound, resolving, not firing — read from Prometheus's rules and alerts APIs. */

/** One look at an alert: the alerting rules of that name and the alert's active instances. */
export interface AlertLook {
  name: string;
  /** Alerting rules named so (the same name may be used in several groups). */
  rules: Rule[];
  /** Every loaded alerting rule's name, for the message when `name` is not one of them. */
  loaded: string[];
  /** Instances from /api/v1/alerts whose alertname is `name` (pending or firing). */
  instances: Alert[];
  urls: string[];
}

export type AlertState = 'missing' | 'firing' | 'pending' | 'inactive';

const POLL_MS = 1000;

export function alertState(look: Pick<AlertLook, 'rules' | 'instances'>): AlertState {
  if (!look.rules.length) return 'missing';
  if (look.instances.some((a) => a.state === 'firing')) return 'firing';
  if (look.instances.some((a) => a.state === 'pending')) return 'pending';
  return 'inactive';
}

/** Milliseconds since the epoch, or undefined for Go's zero time (a rule not evaluated yet). */
export function evaluatedAtMs(rule: Pick<Rule, 'lastEvaluation'>): number | undefined {
  const ms = rule.lastEvaluation ? Date.parse(rule.lastEvaluation) : NaN;
  return Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) ? ms : undefined;
}

function describeInstance(a: Alert): string {
  const labels = Object.fromEntries(Object.entries(a.labels).filter(([k]) => k !== 'alertname'));
  return `${formatLabels(labels)} ${a.state}${a.activeAt ? ` since ${a.activeAt}` : ''}${a.value !== undefined ? `, value ${a.value}` : ''}`;
}

function describeRule(r: Rule): string {
  const evaluated = evaluatedAtMs(r);
  return [
    `group ${r.group}`,
    `health ${r.health}${r.lastError ? ` (${r.lastError})` : ''}`,
    evaluated ? `last evaluated ${r.lastEvaluation}` : 'never evaluated',
    r.intervalMs !== undefined ? `every ${formatPrometheusDuration(r.intervalMs)}` : '',
    r.forMs ? `for ${formatPrometheusDuration(r.forMs)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** One line for timelines and messages: the state, its instances, and whether (and how) the rule exists. */
export function describeAlertLook(look: Pick<AlertLook, 'name' | 'rules' | 'loaded' | 'instances'>): string {
  const state = alertState(look);
  if (state === 'missing') {
    const loaded = [...new Set(look.loaded)].sort();
    return `no alerting rule named "${look.name}" is loaded; loaded alerting rules: ${loaded.join(', ') || '(none)'}`;
  }
  const shown = look.instances.filter((a) => a.state === state);
  const instances = shown.length ? `: ${shown.slice(0, 3).map(describeInstance).join('; ')}${shown.length > 3 ? `; … (${shown.length - 3} more)` : ''}` : '';
  return `${look.name} is ${state}${instances} (rule ${look.rules.map(describeRule).join(' | ')})`;
}

async function lookAtAlert(prom: PrometheusClient, name: string): Promise<AlertLook> {
  const [rules, alerts] = await Promise.all([prom.rules('alert'), prom.alerts()]);
  const alerting = rules.rules.filter((r) => r.type === 'alerting');
  return {
    name,
    rules: alerting.filter((r) => r.name === name),
    loaded: alerting.map((r) => r.name),
    instances: alerts.alerts.filter((a) => a.labels.alertname === name),
    urls: [rules.request.url, alerts.request.url],
  };
}

async function attachAlert(ctx: Ctx, name: string, look: AlertLook | undefined, timeline: { atMs: number; summary: string }[]): Promise<void> {
  if (!look) {
    await ctx.evidence.text(`alert ${name}`, 'Prometheus never answered');
    return;
  }
  await ctx.evidence.text(
    `alert ${name}`,
    [
      `Asked:     ${look.urls.join('\n           ')}`,
      `State:     ${alertState(look)}`,
      ...look.rules.map((r) => `Rule:      ${r.group} (${r.file}): ${r.query}\n           ${describeRule(r)}`),
      '',
      'Timeline:',
      timelineText(timeline),
    ].join('\n'),
  );
  if (look.instances.length)
    await ctx.evidence.table(
      `instances of alert ${name}`,
      look.instances.map((a) => ({ labels: formatLabels(a.labels), state: a.state, activeAt: a.activeAt ?? '', value: a.value ?? '' })),
    );
}

/** Polls the alert until `done` says so; keeps its own timeline so a timeout still shows how the state moved. */
async function watchAlert(
  ctx: Ctx,
  name: string,
  what: string,
  timeoutMs: number,
  done: (look: AlertLook) => boolean,
): Promise<{ look: AlertLook; elapsedMs: number }> {
  const prom = await ctx.clients.prometheus();
  const timeline: { atMs: number; summary: string }[] = [];
  const startedMs = Date.now();
  let last: AlertLook | undefined;
  try {
    const r = await waitUntil<AlertLook>({
      what,
      timeoutMs,
      intervalMs: POLL_MS,
      signal: ctx.signal,
      check: async () => {
        last = await lookAtAlert(prom, name);
        const summary = describeAlertLook(last);
        if (timeline.at(-1)?.summary !== summary) timeline.push({ atMs: Date.now() - startedMs, summary });
        return { ok: done(last), value: last, summary };
      },
    });
    return { look: r.value!, elapsedMs: r.elapsedMs };
  } finally {
    await attachAlert(ctx, name, last, timeline);
  }
}

function rememberFiring(ctx: Ctx, look: AlertLook): void {
  const firing = look.instances.find((a) => a.state === 'firing');
  ctx.state.firingAlerts ??= new Map();
  ctx.state.firingAlerts.set(look.name, { seenAtMs: Date.now(), activeAt: firing?.activeAt });
}

/** "the Prometheus alert `X` is firing within 2m": firing, not pending; the timeout tells the last state and whether the rule exists. */
export function alertFiring(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`Prometheus alert ${name} is firing`, async () => {
    const r = await watchAlert(ctx, name, `Prometheus alert ${name} to be firing`, withinMs, (look) => alertState(look) === 'firing');
    rememberFiring(ctx, r.look);
    return `${describeAlertLook(r.look)}; seen after ${formatDuration(r.elapsedMs)}`;
  });
}

/**
 * "the Prometheus alert `X` resolves within 2m": the alert was seen firing in this
 * scenario or fires now (positive control), then no instance fires while its rule is
 * still loaded (a removed rule also drops its alerts, and that is not a resolution).
 */
export function alertResolves(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`Prometheus alert ${name} resolves`, async () => {
    const seen = ctx.state.firingAlerts?.get(name);
    const first = await lookAtAlert(await ctx.clients.prometheus(), name);
    const firingAtStart = alertState(first) === 'firing';
    if (!firingAtStart && !seen) {
      await attachAlert(ctx, name, first, [{ atMs: 0, summary: describeAlertLook(first) }]);
      throw new Error(
        `Prometheus alert ${name} was not seen firing in this scenario and is not firing now (${describeAlertLook(first)}): ` +
          `"resolves" needs it firing first (state it with "the Prometheus alert \`${name}\` is firing within …" before this step)`,
      );
    }
    const positiveControl = firingAtStart
      ? 'firing when the step began'
      : `seen firing ${formatDuration(Date.now() - seen!.seenAtMs)} before this step${seen!.activeAt ? ` (active since ${seen!.activeAt})` : ''}`;
    const r = await watchAlert(ctx, name, `Prometheus alert ${name} to stop firing`, withinMs, (look) => ['pending', 'inactive'].includes(alertState(look)));
    return `${describeAlertLook(r.look)}; ${positiveControl}, no longer firing after ${formatDuration(r.elapsedMs)}`;
  });
}

/**
 * "the Prometheus alert `X` is not firing": the rule exists and was evaluated lately
 * (within two evaluation intervals, or again during this step), so "not firing" is
 * the rule's verdict, not a stalled or failing evaluation.
 */
export function alertNotFiring(ctx: Ctx, name: string): StepResult {
  return ctx.check(`Prometheus alert ${name} is not firing`, async () => {
    let firstEvaluations: (number | undefined)[] | undefined;
    const fresh = (look: AlertLook) => {
      const now = Date.now();
      const evaluations = look.rules.map(evaluatedAtMs);
      firstEvaluations ??= evaluations;
      return look.rules.every((rule, i) => {
        const at = evaluations[i];
        if (at === undefined) return false;
        const first = firstEvaluations![i];
        // Lately by our clock, or later than at the first look (which no clock skew can fake).
        return now - at <= 2 * (rule.intervalMs ?? 60_000) || (first !== undefined && at > first);
      });
    };
    const interval = (look: AlertLook) => Math.max(...look.rules.map((r) => r.intervalMs ?? 60_000));
    const prom = await ctx.clients.prometheus();
    const first = await lookAtAlert(prom, name);
    if (alertState(first) === 'missing') {
      await attachAlert(ctx, name, first, [{ atMs: 0, summary: describeAlertLook(first) }]);
      throw new Error(`${describeAlertLook(first)}: "not firing" cannot be shown for an alert without a rule`);
    }
    // A stale rule gets at most one more interval (and the assert timeout) to show it is evaluated.
    const waitMs = fresh(first) ? 0 : Math.min(interval(first) + 5000, ctx.config.timeouts.assert);
    let look = first;
    if (waitMs) {
      try {
        look = (await watchAlert(ctx, name, `a new evaluation of alerting rule ${name}`, waitMs, fresh)).look;
      } catch (e) {
        if (!(e instanceof WaitTimeoutError)) throw e;
        throw new Error(
          `alerting rule ${name} is not being evaluated (${first.rules.map(describeRule).join(' | ')}; nothing newer within ${formatDuration(waitMs)}): ` +
            `a rule Prometheus does not evaluate cannot show the alert is not firing`,
          { cause: e },
        );
      }
    } else await attachAlert(ctx, name, look, [{ atMs: 0, summary: describeAlertLook(look) }]);
    const failing = look.rules.filter((r) => r.health === 'err');
    if (failing.length)
      throw new Error(
        `alerting rule ${name} fails to evaluate (${failing.map((r) => `group ${r.group}: ${r.lastError ?? 'no error text'}`).join('; ')}): it could not fire, so "not firing" proves nothing`,
      );
    if (alertState(look) === 'firing') throw new Error(`Prometheus alert ${describeAlertLook(look)}`);
    return describeAlertLook(look);
  });
}

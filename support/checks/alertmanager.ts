import { parse as parseYaml } from 'yaml';
import type { AmAlert } from '../clients/alertmanager';
import { formatLabels } from '../clients/series';
import type { SinkNotification, SinkNotifications, WebhookSinkClient } from '../clients/webhook-sink';
import { formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { timelineText } from './shared/timeline';

/**
 * Alertmanager: ready, holds an alert, and a receiver notified — the last read
 * where the notification ends up, the webhook sink (services/webhook-sink).
 */

const AM_POLL_MS = 1000;
const SINK_POLL_MS = 500;

/** The receiver names of an Alertmanager configuration (YAML), in order. */
export function configuredReceivers(configYaml: string): string[] {
  try {
    const config = parseYaml(configYaml) as { receivers?: { name?: string }[] } | null;
    return (config?.receivers ?? []).map((r) => r.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

/** "Alertmanager is ready": /-/ready answers 200, plus the version and the receivers it loaded. */
export function alertmanagerReady(ctx: Ctx): StepResult {
  return ctx.check('Alertmanager is ready', async () => {
    const am = await ctx.clients.alertmanager();
    const ready = await am.ready();
    const status = await am.status();
    const receivers = configuredReceivers(status.configYaml);
    await ctx.evidence.text(
      'Alertmanager status',
      [
        `Asked:     ${ready.request.url}  ->  ${ready.text}`,
        `           ${status.request.url}`,
        `Version:   ${status.version} (${status.revision}), up ${status.uptime}, cluster ${status.cluster || 'disabled'}`,
        `Receivers: ${receivers.join(', ') || '(none)'}`,
        '',
        'Loaded configuration (secrets as Alertmanager prints them: <secret>):',
        status.configYaml,
      ].join('\n'),
    );
    return `${ready.request.url}: ${ready.text}; version ${status.version}, receivers ${receivers.join(', ') || '(none)'}`;
  });
}

function describeAmAlert(a: AmAlert): string {
  const labels = Object.fromEntries(Object.entries(a.labels).filter(([k]) => k !== 'alertname'));
  const suppressed = [...a.status.silencedBy.map((s) => `silenced by ${s}`), ...a.status.inhibitedBy.map((i) => `inhibited by ${i}`)];
  return (
    `${formatLabels(labels)} ${a.status.state}${suppressed.length ? ` (${suppressed.join(', ')})` : ''} since ${a.startsAt}` +
    `, receivers ${a.receivers.map((r) => r.name).join(', ') || '(none)'}`
  );
}

/** One line for timelines and messages: the alert's instances in Alertmanager, or the names it holds instead. */
export function describeHeld(name: string, alerts: AmAlert[]): string {
  const mine = alerts.filter((a) => a.labels.alertname === name);
  if (!mine.length) {
    const held = [...new Set(alerts.map((a) => a.labels.alertname ?? '?'))].sort();
    return `Alertmanager holds no alert named ${name}; it holds: ${held.join(', ') || '(none)'}`;
  }
  return `${name}: ${mine.slice(0, 3).map(describeAmAlert).join('; ')}${mine.length > 3 ? `; … (${mine.length - 3} more)` : ''}`;
}

/** "Alertmanager holds the alert `X` within 1m": an active instance (not silenced, not inhibited) in /api/v2/alerts. */
export function alertmanagerHolds(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`Alertmanager holds the alert ${name}`, async () => {
    const am = await ctx.clients.alertmanager();
    // The first look outside the wait: an Alertmanager that is down fails now, naming its address.
    let last = await am.alerts();
    const active = (alerts: AmAlert[]) => alerts.find((a) => a.labels.alertname === name && a.status.state === 'active');
    try {
      const r = await waitUntil<AmAlert>({
        what: `Alertmanager to hold the alert ${name} (active)`,
        timeoutMs: withinMs,
        intervalMs: AM_POLL_MS,
        signal: ctx.signal,
        check: async () => {
          if (!active(last.alerts)) last = await am.alerts();
          return { ok: !!active(last.alerts), value: active(last.alerts), summary: describeHeld(name, last.alerts) };
        },
      });
      const alert = r.value!;
      return `Alertmanager holds ${name} ${formatLabels(alert.labels)}, active since ${alert.startsAt}, routed to ${alert.receivers.map((x) => x.name).join(', ')}; seen after ${formatDuration(r.elapsedMs)}`;
    } finally {
      await ctx.evidence.text(`Alertmanager alert ${name}`, [`Asked:  ${last.request.url}`, `Seen:   ${describeHeld(name, last.alerts)}`].join('\n'));
      if (last.alerts.length)
        await ctx.evidence.table(
          'alerts Alertmanager holds',
          last.alerts.map((a) => ({
            alertname: a.labels.alertname ?? '',
            labels: formatLabels(a.labels),
            state: a.status.state,
            startsAt: a.startsAt,
            receivers: a.receivers.map((x) => x.name).join(', '),
          })),
        );
    }
  });
}

export type NotifiedStatus = 'firing' | 'resolved';

/** Whether a notification tells `receiver` that alert `name` is `status` (the alert's own status, not the group's). */
export function notifies(n: SinkNotification, receiver: string, name: string, status: NotifiedStatus): boolean {
  return n.receiver === receiver && n.alerts.some((a) => a.alertname === name && a.status === status);
}

function describeNotification(n: SinkNotification): string {
  return `${n.receiver || '(no receiver)'} ${n.path} ${n.status} [${n.alerts.map((a) => `${a.alertname} ${a.status}`).join(', ')}] at ${n.receivedAt}`;
}

/** What the sink received during the step, grouped so a long wait stays one line. */
export function describeReceived(received: SinkNotification[]): string {
  if (!received.length) return 'the sink received no notification during this step';
  const groups = new Map<string, number>();
  for (const n of received) {
    const key = `receiver ${n.receiver || '(none)'} (${n.path}): ${[...new Set(n.alerts.map((a) => `${a.alertname} ${a.status}`))].join(', ') || 'no alerts'}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return `the sink received ${received.length} notification${received.length === 1 ? '' : 's'} during this step: ${[...groups]
    .map(([k, c]) => (c > 1 ? `${k} ×${c}` : k))
    .join('; ')}`;
}

/** Notifications received after `baseline`: by sequence number while the sink runs the same process, all of them after a restart. */
async function receivedSince(sink: WebhookSinkClient, baseline: SinkNotifications): Promise<SinkNotifications> {
  const r = await sink.notifications(baseline.lastSeq);
  return r.bootId === baseline.bootId ? r : sink.notifications(0);
}

/**
 * "the receiver `webhook` is notified of the alert `X` within 1m" (and "… that the alert `X` resolved …"):
 * a notification for that receiver, naming that alert with that status, received by the
 * webhook sink after the step began. Sequence numbers (not clocks) tell what is new; the
 * delay is measured on the sink's clock, from its answer at the step's start to receipt.
 */
export function receiverNotified(ctx: Ctx, receiver: string, name: string, status: NotifiedStatus, withinMs: number): StepResult {
  const what = status === 'firing' ? `of the alert ${name}` : `that the alert ${name} resolved`;
  return ctx.check(`receiver ${receiver} is notified ${what}`, async () => {
    const sink = await ctx.clients.webhookSink();
    // Positive control: the sink answers (a sink that is down fails here, naming its address).
    const baseline = await sink.notifications(Number.MAX_SAFE_INTEGER);
    const received = new Map<string, SinkNotification>();
    const timeline: { atMs: number; summary: string }[] = [];
    const startedMs = Date.now();
    let match: SinkNotification | undefined;
    let asked = baseline.request.url;
    try {
      // The bound is checked on the sink's clock below; the wait gets one poll more so a notification in the last moment is still read.
      await waitUntil<SinkNotification>({
        what: `receiver ${receiver} to be notified ${what} (status ${status})`,
        timeoutMs: withinMs + SINK_POLL_MS,
        intervalMs: SINK_POLL_MS,
        signal: ctx.signal,
        check: async () => {
          const r = await receivedSince(sink, baseline);
          asked = r.request.url;
          for (const n of r.notifications) received.set(`${r.bootId}/${n.seq}`, n);
          const all = [...received.values()];
          match = all.find((n) => notifies(n, receiver, name, status));
          const summary = describeReceived(all);
          if (timeline.at(-1)?.summary !== summary) timeline.push({ atMs: Date.now() - startedMs, summary });
          return { ok: !!match, value: match, summary: match ? summary : `${summary}; none tells receiver ${receiver} that ${name} is ${status}` };
        },
      });
      const n = match!;
      const delayMs = Date.parse(n.receivedAt) - Date.parse(baseline.now);
      const alert = n.alerts.find((a) => a.alertname === name && a.status === status)!;
      if (delayMs > withinMs)
        throw new Error(
          `receiver ${receiver} was notified ${what} ${formatDuration(delayMs)} after the step began (sink clock), later than ${formatDuration(withinMs)}: ${describeNotification(n)}`,
        );
      return `receiver ${receiver} notified ${what} ${formatDuration(Math.max(0, delayMs))} after the step began: ${formatLabels(alert.labels)} ${status}, startsAt ${alert.startsAt ?? '?'}, received ${n.receivedAt} at ${n.path}`;
    } finally {
      await ctx.evidence.text(
        `receiver ${receiver}: ${name} ${status}`,
        [
          `Asked:     ${asked}`,
          `Baseline:  sink ${baseline.bootId}, last notification #${baseline.lastSeq} when the step began (sink clock ${baseline.now})`,
          match
            ? `Matched:   #${match.seq} ${describeNotification(match)}\n           delay ${formatDuration(Date.parse(match.receivedAt) - Date.parse(baseline.now))} (sink clock)`
            : `Matched:   nothing for receiver ${receiver} with ${name} ${status}`,
          '',
          'Timeline:',
          timelineText(timeline),
        ].join('\n'),
      );
      if (received.size)
        await ctx.evidence.table(
          'notifications received during the step',
          [...received.values()].map((n) => ({
            seq: n.seq,
            receivedAt: n.receivedAt,
            receiver: n.receiver,
            path: n.path,
            status: n.status,
            alerts: n.alerts.map((a) => `${formatLabels(a.labels)} ${a.status} startsAt ${a.startsAt ?? '?'}`).join('; '),
          })),
        );
      if (match) await ctx.evidence.json(`notification #${match.seq} as received`, match.payload);
    }
  });
}

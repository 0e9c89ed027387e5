import { Redactor } from './redact';
import { formatTable, type Row } from './table';
import { type ChartSeries, lineChart, type LineChartOptions, type Span, timelineChart } from './chart';
import type { ObservationData, ObservationKind } from '../observations';

/** Keeps an observation for the run's outputs; returns links to the output files it feeds. */
export type ObserveFn = <K extends ObservationKind>(kind: K, data: ObservationData[K]) => string[];

/** How evidence leaves the engine; the World passes cucumber's `attach`. */
export type AttachFn = (data: string | Buffer, opts: { mediaType: string; fileName?: string }) => void | Promise<void>;

export type CheckStatus = 'passed' | 'failed' | 'not verified';

/** One criterion checked in a scenario: what was asked, what was observed, how it ended. */
export interface CheckRecord {
  name: string;
  status: CheckStatus;
  observed?: string;
  reason?: string;
  durationMs: number;
}

/**
 * Collects a scenario's evidence. Everything passes through the redactor
 * before it is attached, so no code path can leak a secret into a report.
 */
export class EvidenceRecorder {
  readonly checks: CheckRecord[] = [];
  attachments = 0;

  constructor(
    private readonly attachFn: AttachFn,
    readonly redactor: Redactor,
    private readonly observeFn?: ObserveFn,
  ) {}

  /**
   * Keeps what a check observed for the plan's outputs (redacted like every
   * other evidence; a screenshot's pixels are kept as taken) and links the
   * report to the output files it feeds.
   */
  async observe<K extends ObservationKind>(kind: K, data: ObservationData[K]): Promise<void> {
    if (!this.observeFn) return;
    const png = (data as { png?: string }).png;
    const safe = png === undefined ? this.redactor.redactValue(data) : { ...this.redactor.redactValue({ ...data, png: '' }), png };
    const links = this.observeFn(kind, safe);
    if (links.length) await this.attach(links.join('\n'), 'text/uri-list', `outputs fed by this observation`);
  }

  async text(title: string, body: string): Promise<void> {
    await this.attach(this.redactor.redact(body), 'text/plain', title);
  }

  async json(title: string, value: unknown): Promise<void> {
    await this.attach(JSON.stringify(this.redactor.redactValue(value), null, 2), 'application/json', `${title}.json`);
  }

  async table(title: string, rows: Row[], columns?: string[]): Promise<void> {
    await this.text(title, formatTable(rows, columns));
  }

  async svg(title: string, svg: Buffer): Promise<void> {
    // A Buffer, not a string: the HTML formatter renders only base64 image attachments.
    await this.attach(Buffer.from(this.redactor.redact(svg.toString('utf8'))), 'image/svg+xml', `${title}.svg`);
  }

  /** A screenshot or rendered image, shown inline in the HTML report. */
  async png(title: string, png: Buffer): Promise<void> {
    await this.attach(png, 'image/png', `${title}.png`);
  }

  async lineChart(series: ChartSeries[], opts: LineChartOptions): Promise<void> {
    if (series.every((s) => s.points.length === 0)) return this.text(opts.title, 'no data points to chart');
    await this.svg(opts.title, await lineChart(series, opts));
  }

  async timeline(spans: Span[], title: string): Promise<void> {
    if (spans.length === 0) return this.text(title, 'no events to chart');
    await this.svg(title, await timelineChart(spans, title));
  }

  async log(line: string): Promise<void> {
    await this.attach(this.redactor.redact(line), 'text/x.cucumber.log+plain');
  }

  record(check: CheckRecord): void {
    this.checks.push({
      ...check,
      observed: check.observed && this.redactor.redact(check.observed),
      reason: check.reason && this.redactor.redact(check.reason),
    });
  }

  private async attach(data: string | Buffer, mediaType: string, fileName?: string): Promise<void> {
    this.attachments++;
    await this.attachFn(data, { mediaType, fileName });
  }
}

/**
 * Charts rendered to SVG with vega-lite (headless: no canvas, no browser).
 * The data shaping is pure and unit-tested; rendering is one call.
 */
export interface ChartSeries {
  name: string;
  /** [epoch milliseconds, value] */
  points: [number, number][];
}

export interface LineChartOptions {
  title: string;
  yTitle?: string;
  /** Draws a horizontal rule, e.g. the threshold a step compared against. */
  threshold?: { value: number; label: string };
  /** Step interpolation for counts such as replicas. */
  step?: boolean;
  width?: number;
  height?: number;
}

export interface ChartRow {
  t: string;
  series: string;
  value: number;
}

const MAX_SERIES = 12;

/** Flattens series into vega rows; drops NaN/Inf (Prometheus returns them) and keeps at most 12 series. */
export function chartRows(series: ChartSeries[]): ChartRow[] {
  return series
    .slice(0, MAX_SERIES)
    .flatMap((s) =>
      s.points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)).map(([t, v]) => ({ t: new Date(t).toISOString(), series: s.name, value: v })),
    );
}

export function lineChartSpec(series: ChartSeries[], opts: LineChartOptions): Record<string, unknown> {
  const rows = chartRows(series);
  const line = {
    mark: { type: 'line', point: rows.length < 60, interpolate: opts.step ? 'step-after' : 'linear' },
    encoding: {
      x: { field: 't', type: 'temporal', title: 'time (UTC)', axis: { format: '%H:%M:%S' } },
      y: { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'value' },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', labelLimit: 600 } },
    },
  };
  const layers: unknown[] = [{ data: { values: rows }, ...line }];
  if (opts.threshold) {
    layers.push({
      data: { values: [{ y: opts.threshold.value, label: opts.threshold.label }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [6, 4], color: '#c0392b' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#c0392b' },
          encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' }, x: { value: 0 } },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title,
    width: opts.width ?? 640,
    height: opts.height ?? 220,
    background: 'white',
    layer: layers,
  };
}

export interface Span {
  label: string;
  startMs: number;
  endMs: number;
  phase?: string;
}

/** A timeline (Gantt) spec: e.g. pod deleted → replacement scheduled → Running → Ready. */
export function timelineSpec(spans: Span[], title: string): Record<string, unknown> {
  const t0 = Math.min(...spans.map((s) => s.startMs));
  const values = spans.map((s) => ({
    label: s.label,
    phase: s.phase ?? s.label,
    from: (s.startMs - t0) / 1000,
    to: Math.max((s.endMs - t0) / 1000, (s.startMs - t0) / 1000 + 0.05),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height: Math.max(60, 28 * spans.length),
    background: 'white',
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 400 } },
      x: { field: 'from', type: 'quantitative', title: 'seconds since start' },
      x2: { field: 'to' },
      color: { field: 'phase', type: 'nominal', legend: null },
      tooltip: [{ field: 'label' }, { field: 'from' }, { field: 'to' }],
    },
  };
}

/** Compiles a vega-lite spec and renders SVG. vega is ESM with top-level await, hence import(). */
export async function renderSvg(spec: Record<string, unknown>): Promise<Buffer> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return Buffer.from(await view.toSVG(), 'utf8');
  } finally {
    view.finalize();
  }
}

export function lineChart(series: ChartSeries[], opts: LineChartOptions): Promise<Buffer> {
  return renderSvg(lineChartSpec(series, opts));
}

export function timelineChart(spans: Span[], title: string): Promise<Buffer> {
  return renderSvg(timelineSpec(spans, title));
}

export interface HpaChartRow {
  atMs: number;
  current: number;
  desired: number;
  cpu?: number;
  target?: number;
}

/**
 * The HPA over a scaling cycle: current and desired replicas (steps) above,
 * CPU utilisation against its target below, the load window shaded in both.
 */
export function hpaChartSpec(rows: HpaChartRow[], title: string, load?: { startMs: number; endMs?: number }): Record<string, unknown> {
  const t = (ms: number) => new Date(ms).toISOString();
  const replicas = rows.flatMap((r) => [
    { t: t(r.atMs), series: 'current replicas', value: r.current },
    { t: t(r.atMs), series: 'desired replicas', value: r.desired },
  ]);
  const cpu = rows.filter((r) => r.cpu !== undefined).map((r) => ({ t: t(r.atMs), series: 'CPU utilisation (% of request)', value: r.cpu! }));
  const target = rows.find((r) => r.target !== undefined)?.target;
  const end = load ? (load.endMs ?? rows[rows.length - 1]?.atMs ?? load.startMs) : undefined;
  const shade = load
    ? [
        {
          data: { values: [{ from: t(load.startMs), to: t(end!), label: 'k6 load' }] },
          mark: { type: 'rect', color: '#f5b041', opacity: 0.2 },
          encoding: { x: { field: 'from', type: 'temporal' }, x2: { field: 'to' } },
        },
      ]
    : [];
  const x = { field: 't', type: 'temporal', title: 'time (UTC)', axis: { format: '%H:%M:%S' } };
  const color = { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', labelLimit: 600 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    resolve: { scale: { color: 'independent' } },
    vconcat: [
      {
        width: 720,
        height: 200,
        layer: [
          ...shade,
          {
            data: { values: replicas },
            mark: { type: 'line', interpolate: 'step-after', point: replicas.length < 80 },
            encoding: { x, y: { field: 'value', type: 'quantitative', title: 'replicas', axis: { tickMinStep: 1 } }, color },
          },
        ],
      },
      {
        width: 720,
        height: 160,
        layer: [
          ...shade,
          {
            data: { values: cpu },
            mark: { type: 'line', point: cpu.length < 80, color: '#8e44ad' },
            encoding: { x, y: { field: 'value', type: 'quantitative', title: 'CPU % of request' }, color },
          },
          ...(target !== undefined
            ? [
                {
                  data: { values: [{ y: target }] },
                  mark: { type: 'rule', strokeDash: [6, 4], color: '#c0392b' },
                  encoding: { y: { field: 'y', type: 'quantitative' } },
                },
              ]
            : []),
        ],
      },
    ],
  };
}

/**
 * The simulation as one self-contained HTML page (`--html FILE`): the verdict sentence, the text table,
 * and a chart per series drawn with the report's own chart renderer (report/svg-line-chart.ts), so a
 * simulated burst looks like a measured one. No scripts, no external assets.
 */
import { escapeHtml, formatBytes, formatNumber } from '../report/format.ts';
import { type LineSeries, renderLineChart } from '../report/svg-line-chart.ts';
import { BIN_MS, binPoints } from './bins.ts';
import { renderSimulationText } from './render-text.ts';
import type { SimulationSummary, SummarySeries } from './summary.ts';

const CSS =
  'body{font-family:system-ui,sans-serif;margin:2em auto;max-width:820px;color:#222}pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}.verdict{font-size:1.1em;border-left:4px solid #D55E00;padding-left:.8em}';

/** Which series share a chart, in page order. */
const CHARTS: Array<{ id: string; title: string; series: string[]; unit: 'bytes' | 'count' }> = [
  { id: 'sim-events', title: 'Fleet events per 100 ms', series: ['events'], unit: 'count' },
  {
    id: 'sim-statsd',
    title: 'StatsD datagrams arriving and kernel drops per 100 ms',
    series: ['statsd-datagrams', 'statsd-drops'],
    unit: 'count',
  },
  {
    id: 'sim-pull-scrapes',
    title: 'Scrapes started per 100 ms (Prometheus offset rule)',
    series: ['pull-scrapes'],
    unit: 'count',
  },
  { id: 'sim-pull-bytes', title: 'Body bytes in flight per 100 ms', series: ['pull-bytes'], unit: 'bytes' },
  {
    id: 'sim-otlp',
    title: 'OTLP export requests and points per 100 ms',
    series: ['otlp-requests', 'otlp-points'],
    unit: 'count',
  },
  { id: 'sim-otelcol-memory', title: 'otelcol memory (modelled)', series: ['otelcol-memory'], unit: 'bytes' },
];

function line(s: SummarySeries): LineSeries {
  return { label: s.label, points: binPoints(s.per100ms, BIN_MS) };
}

/** Renders the summary as an HTML page. */
export function renderSimulationHtml(s: SimulationSummary): string {
  const title = `pushpull simulate: ${s.experiment}, ${formatNumber(s.producers)} producers`;
  const byId = new Map(s.series.map((x) => [x.id, x]));
  const charts: string[] = [];
  for (const c of CHARTS) {
    const series = c.series.map((id) => byId.get(id)).filter((x): x is SummarySeries => x !== undefined);
    if (series.length === 0) continue;
    charts.push(
      renderLineChart({
        id: c.id,
        title: c.title,
        xLabel: 'seconds since startAt',
        yLabel: c.unit === 'bytes' ? 'bytes' : 'per 100 ms',
        formatY: c.unit === 'bytes' ? formatBytes : (v) => formatNumber(v),
        yTickUnit: c.unit === 'bytes' ? 1024 : 1,
        series: series.map(line),
        markers: s.failures.map((f) => ({
          x: f.atSeconds,
          label: `${f.arm}: ${f.kind}`,
          kind: 'failure' as const,
        })),
      }),
    );
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="verdict">${escapeHtml(s.verdict)}</p>`,
    ...charts,
    `<pre>${escapeHtml(renderSimulationText(s))}</pre>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

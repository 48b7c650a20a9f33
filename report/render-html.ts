/**
 * report.html: one self-contained page for reading a run: the verdict first, its evidence, charts
 * (inline SVG from report/svg-line-chart.ts, series chosen by the ids in report/chart-ids.ts), then
 * the same tables as report.md. No scripts, no external URLs (a Content-Security-Policy forbids them),
 * inline CSS; every text from the report is escaped. Pure; called by the run and `pushpull report`.
 */
import { CHARTS, type ChartSpec } from './chart-ids.ts';
import {
  ANSWER_LABELS,
  ARM_LABELS,
  escapeHtml,
  formatNumber,
  formatOffsetShort,
  offsetFromLoadStart,
} from './format.ts';
import { buildSections, type Callout, type Cell, type Section, type Table } from './sections.ts';
import { FAILURE_KINDS, KIND_LABELS } from './signal-kinds.ts';
import { type ChartMarker, extent, type LineSeries, renderLineChart } from './svg-line-chart.ts';
import type { Report } from './types.ts';
import { verdictScope } from './verdict-scope.ts';

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d1d1f; background: #f6f7f9; margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 1px solid #e3e5e8; padding-bottom: 4px; }
.sub { color: #555; margin: 0 0 18px; }
.verdict { border-left: 8px solid #888; background: #f3f4f6; padding: 14px 18px; border-radius: 4px; }
.verdict .answer { font-size: 22px; font-weight: 700; text-transform: uppercase; letter-spacing: .02em; }
.verdict .sentence { font-size: 16px; margin: 6px 0 0; }
.verdict .scope { font-size: 14px; margin: 6px 0 0; color: #333; }
.verdict .per-arm { color: #444; margin: 8px 0 0; font-size: 14px; }
.verdict-push-easier { border-color: #1a7f37; background: #eef8f0; } .verdict-push-easier .answer { color: #1a7f37; }
.verdict-push-harder { border-color: #c2410c; background: #fdf1ea; } .verdict-push-harder .answer { color: #c2410c; }
.verdict-the-same { border-color: #0b61a4; background: #edf4fb; } .verdict-the-same .answer { color: #0b61a4; }
.verdict-inconclusive { border-color: #9a6700; background: #fdf8e6; } .verdict-inconclusive .answer { color: #9a6700; }
ul.evidence { padding-left: 20px; } ul.evidence li { margin: 3px 0; }
code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: #f3f4f6; padding: 1px 3px; border-radius: 3px; overflow-wrap: anywhere; }
.src, td.src code { color: #57606a; font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 14px; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #e3e5e8; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.bad { color: #b42318; font-weight: 600; } .good { color: #1a7f37; } .muted { color: #6e7781; font-style: italic; }
.callout { padding: 8px 12px; border-radius: 4px; margin: 8px 0; font-weight: 600; }
.callout.good { background: #eef8f0; } .callout.bad { background: #fdecea; } .callout.muted { background: #f3f4f6; font-style: normal; }
figure { margin: 18px 0 26px; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; font-family: system-ui, "DejaVu Sans", sans-serif; }
details > summary { cursor: pointer; color: #0b61a4; }
pre { background: #f6f8fa; padding: 10px; overflow: auto; font-size: 12px; }
`;

/** Renders report.json as one self-contained HTML page. Deterministic. */
export function renderHtml(report: Report): string {
  const v = report.verdict;
  const title = `pushpull report: ${report.experiment.name}`;
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="sub">${escapeHtml(subtitle(report))}</p>`,
    `<section id="verdict" class="verdict verdict-${escapeHtml(v.answer)}">`,
    `<div class="answer">${escapeHtml(ANSWER_LABELS[v.answer])}</div>`,
    `<p class="sentence">${escapeHtml(v.sentence)}</p>`,
    `<p class="scope">${escapeHtml(verdictScope(report))}</p>`,
  );
  if (report.liveness) {
    parts.push(`<p class="game-day"><strong>Game day.</strong> ${escapeHtml(report.liveness.sentence)}</p>`);
  }
  const per = Object.entries(v.perPushArm);
  if (per.length > 0) {
    parts.push(
      `<p class="per-arm">Per push arm, against pull: ${per
        .map(
          ([arm, a]) =>
            `${escapeHtml(ARM_LABELS[arm as 'statsd' | 'otlp'])}: <strong>${escapeHtml(ANSWER_LABELS[a])}</strong>`,
        )
        .join(' · ')}</p>`,
    );
  }
  parts.push('</section>', '<section id="evidence">', '<h2>Evidence</h2>', '<ul class="evidence">');
  for (const e of v.evidence) parts.push(`<li>${evidenceItem(e)}</li>`);
  if (v.evidence.length === 0) parts.push('<li>No evidence lines in this report.</li>');
  parts.push('</ul>', '</section>');
  parts.push(...renderCharts(report));
  for (const s of buildSections(report)) parts.push(...renderSection(s));
  parts.push('</main>', '</body>', '</html>');
  return `${parts.join('\n')}\n`;
}

function subtitle(r: Report): string {
  const bits = [
    `${r.experiment.runtime} run`,
    r.run.outcome,
    r.run.loadStartAt ? `load started ${r.run.loadStartAt}` : 'the load never started',
    `schema v${r.schemaVersion}`,
  ];
  return bits.join(' · ');
}

function evidenceItem(line: string): string {
  const m = /^(.*) \(source: (.*)\)$/s.exec(line);
  if (!m) return escapeHtml(line);
  return `${escapeHtml(m[1]!)} <span class="src">(source: <code>${escapeHtml(m[2]!)}</code>)</span>`;
}

/** The chart ids report.html draws, and whether this report should show each chart. */
function chartsToShow(r: Report): ChartSpec[] {
  return CHARTS.filter((c) => {
    if (c.needs === null) return true;
    if (c.needs === 'optional') {
      const ids = new Set(c.series.map((s) => s.id));
      return r.charts.some((s) => ids.has(s.id) && s.points.length > 0);
    }
    return r.arms[c.needs] !== undefined || r.experiment.spec.arms[c.needs] !== undefined;
  });
}

function renderCharts(r: Report): string[] {
  const out = ['<section id="charts">', '<h2>Charts</h2>'];
  const xDomain = timeAxis(r);
  out.push(
    `<p class="src">${escapeHtml(timeAxisNote(r, xDomain))}; grey dashed lines: phase starts; red dotted lines: first failure of an arm (see the timeline).</p>`,
  );
  const phaseMarkers: ChartMarker[] = r.phases.flatMap((p) => {
    const x = offsetFromLoadStart(r.phases, p.startAt);
    return x === null ? [] : [{ x, label: p.name, kind: 'phase' as const }];
  });
  for (const c of chartsToShow(r)) {
    const series: LineSeries[] = [];
    const sources: string[] = [];
    for (const spec of c.series) {
      const found = r.charts.filter((s) => s.id === spec.id);
      if (found.length === 0 && spec.required) {
        series.push({ label: spec.id, points: [], missing: `the report has no "${spec.id}" series` });
      }
      for (const s of found) {
        if (s.points.length === 0 && !spec.required) continue;
        series.push({
          label: s.label,
          points: s.points,
          ...(s.missing !== undefined ? { missing: s.missing } : {}),
        });
        sources.push(`${s.label}: ${s.source}`);
      }
    }
    const arm = c.needs === null || c.needs === 'optional' ? null : c.needs;
    const failureMarkers: ChartMarker[] = r.signals
      .filter((s) => FAILURE_KINDS.has(s.kind) && (arm === null || s.arm === arm))
      .map((s) => ({
        x: s.offsetSeconds,
        label: `${ARM_LABELS[s.arm]}: first ${KIND_LABELS[s.kind]} at ${formatOffsetShort(s.offsetSeconds)}`,
        kind: 'failure' as const,
      }));
    out.push(
      `<figure id="figure-${escapeHtml(c.key)}">`,
      `<figcaption>${escapeHtml(c.title)}</figcaption>`,
      renderLineChart({
        id: `chart-${c.key}`,
        title: c.title,
        xLabel: 'seconds since load start',
        ...yAxis(c, series, xDomain),
        series,
        markers: [...phaseMarkers, ...failureMarkers],
        ...(xDomain ? { xDomain } : {}),
      }),
    );
    if (sources.length > 0) {
      out.push(
        `<p class="src">Sources: ${sources.map((s) => `<code>${escapeHtml(s)}</code>`).join('; ')}</p>`,
      );
    }
    out.push('</figure>');
  }
  out.push('</section>');
  return out;
}

/**
 * The run's one time axis, shared by every chart: the load window (first phase start to last phase
 * end, in seconds since load start), widened to take in every failure signal so no marker falls off.
 * Undefined when the run has no phases (the load never started): each chart then spans its own data.
 */
export function timeAxis(r: Report): [number, number] | undefined {
  const last = r.phases[r.phases.length - 1];
  const end = last ? offsetFromLoadStart(r.phases, last.endAt) : null;
  if (end === null || !(end > 0)) return undefined;
  const [lo, hi] = extent([0, end, ...r.signals.map((s) => s.offsetSeconds).filter(Number.isFinite)]);
  return [lo, hi];
}

function timeAxisNote(r: Report, domain: [number, number] | undefined): string {
  if (!domain) return 'x: seconds since load start (no load window: the load never started)';
  const window = `x: seconds since load start, every chart over the same ${formatNumber(domain[0], 2)}–${formatNumber(domain[1], 2)} s`;
  const widened =
    domain[0] < 0 || (offsetFromLoadStart(r.phases, r.phases[r.phases.length - 1]!.endAt) ?? 0) < domain[1];
  return `${window} (the load window${widened ? ', widened to show every failure signal' : ''}; points outside it are not drawn)`;
}

interface AxisUnit {
  /** Appended to the axis label, e.g. "ms". */
  name: string;
  /** Seconds or bytes per unit. */
  size: number;
}

const SECOND_UNITS: AxisUnit[] = [
  { name: 'µs', size: 1e-6 },
  { name: 'ms', size: 1e-3 },
  { name: 's', size: 1 },
];
const BYTE_UNITS: AxisUnit[] = ['B', 'KiB', 'MiB', 'GiB'].map((name, i) => ({ name, size: 1024 ** i }));

/**
 * The unit of a seconds or bytes axis, from the largest value drawn: the largest unit that keeps it at 1
 * or more (bytes: 2 or more, so 1.5 MiB reads 1536 KiB on nice binary ticks).
 */
export function axisUnit(kind: 'seconds' | 'bytes', maxAbs: number): AxisUnit {
  const units = kind === 'seconds' ? SECOND_UNITS : BYTE_UNITS;
  const floor = kind === 'seconds' ? 1 : 2;
  let chosen = units[0]!;
  for (const u of units) if (maxAbs / u.size >= floor) chosen = u;
  return chosen;
}

/** The y label and tick format of a chart: one unit, named in the label, the ticks bare numbers in it. */
function yAxis(
  c: ChartSpec,
  series: LineSeries[],
  xDomain: [number, number] | undefined,
): { yLabel: string; formatY: (v: number) => string; yTickUnit?: number } {
  if (c.yFormat === 'number') return { yLabel: c.yLabel, formatY: compact };
  const drawn = (x: number) => !xDomain || (x >= xDomain[0] && x <= xDomain[1]);
  const [, max] = extent([
    0,
    ...series.flatMap((s) => s.points.filter(([x]) => drawn(x)).map(([, y]) => Math.abs(y))),
  ]);
  const unit = axisUnit(c.yFormat, max);
  return {
    yLabel: `${c.yLabel} (${unit.name})`,
    formatY: (v) => formatNumber(v / unit.size, 2),
    ...(c.yFormat === 'bytes' ? { yTickUnit: unit.size } : {}),
  };
}

/** 1234 → "1.2k", 3400000 → "3.4M": axis labels stay short. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${formatNumber(v / 1e9, 1)}G`;
  if (a >= 1e6) return `${formatNumber(v / 1e6, 1)}M`;
  if (a >= 1e3) return `${formatNumber(v / 1e3, 1)}k`;
  return formatNumber(v, 2);
}

function renderSection(s: Section): string[] {
  const out = [`<section id="${escapeHtml(s.id)}">`, `<h2>${escapeHtml(s.title)}</h2>`];
  for (const n of s.notes) out.push(`<p>${escapeHtml(n)}</p>`);
  for (const c of s.callouts) out.push(callout(c));
  if (s.list.length > 0) {
    out.push('<ul>', ...s.list.map((i) => `<li>${escapeHtml(i)}</li>`), '</ul>');
  }
  for (const t of s.tables) out.push(renderTable(t));
  if (s.details) {
    out.push(
      `<details><summary>${escapeHtml(s.details.summary)}</summary><pre>${escapeHtml(s.details.code)}</pre></details>`,
    );
  }
  out.push('</section>');
  return out;
}

function callout(c: Callout): string {
  return `<p class="callout ${c.tone}">${escapeHtml(c.text)}</p>`;
}

function renderTable(t: Table): string {
  const sourceCols = new Set(t.head.flatMap((h, i) => (h === 'source' || h === 'sources' ? [i] : [])));
  const rows = t.rows.map(
    (row) =>
      `<tr>${row.map((c, i) => `<td${sourceCols.has(i) ? ' class="src"' : ''}>${cell(c)}</td>`).join('')}</tr>`,
  );
  return [
    '<table>',
    t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : '',
    `<thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ]
    .filter(Boolean)
    .join('\n');
}

function cell(c: Cell): string {
  if (typeof c === 'string') return escapeHtml(c);
  if ('code' in c) return `<code>${escapeHtml(c.code)}</code>`;
  return `<span class="${c.tone}">${escapeHtml(c.text)}</span>`;
}

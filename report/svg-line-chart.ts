/**
 * A small, dependency-free line chart as inline SVG: axes with "nice" ticks, one polyline per series,
 * a legend, vertical markers (phase starts, first failures), and a visible "no data: <reason>" note
 * for empty series. Pure and deterministic (fixed palette, fixed decimals); report/render-html.ts calls
 * it once per chart. All text is escaped.
 */
import { escapeHtml, formatNumber } from './format.ts';

export interface LineSeries {
  label: string;
  points: Array<[number, number]>;
  /** Why the series has no points (shown in the legend or as the chart's note). */
  missing?: string;
}

export interface ChartMarker {
  x: number;
  label: string;
  kind: 'phase' | 'failure';
}

export interface LineChartOptions {
  /** SVG element id. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  formatY: (value: number) => string;
  /** Y ticks fall on nice multiples of this unit (1024 for bytes); default 1. */
  yTickUnit?: number;
  series: LineSeries[];
  markers?: ChartMarker[];
  /**
   * The x range drawn, the same for every chart of a report (its one time axis); points outside it are
   * not drawn. Default: the data's own extent, rounded out to nice ticks.
   */
  xDomain?: [number, number];
  width?: number;
  height?: number;
}

/** Okabe–Ito colours: distinguishable for the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** Dash patterns and widths by series index, so lines that coincide stay distinguishable. */
const DASHES = ['', '7 4', '2 3', '10 3 2 3'];
const WIDTHS = [2.8, 2, 1.4, 1.4];

const MARGIN = { left: 72, right: 20, top: 24, bottom: 44 };
const LEGEND_ROW = 18;
/** Past this many points a series is thinned (first/min/max/last per pixel column). */
const MAX_POINTS = 1500;

/** Renders one chart. Series with no points get a legend note; no points at all give a chart-wide note. */
export function renderLineChart(o: LineChartOptions): string {
  const width = o.width ?? 760;
  const plotH = (o.height ?? 300) - MARGIN.top - MARGIN.bottom;
  const legendRows = legendLayout(o.series, width);
  const height = MARGIN.top + plotH + MARGIN.bottom + legendRows.length * LEGEND_ROW + 8;
  const plotW = width - MARGIN.left - MARGIN.right;
  const all = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const range = all.length > 0 || o.xDomain ? xAxis(o.xDomain, all) : undefined;
  const out: string[] = [];
  out.push(
    `<svg id="${escapeHtml(o.id)}" class="chart"${range ? ` data-x-min="${range[0]}" data-x-max="${range[1]}"` : ''} xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(o.title)}">`,
    `<title>${escapeHtml(o.title)}</title>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="#fff" stroke="#bbb"/>`,
  );

  if (all.length === 0) {
    const reasons = o.series.map((s) => s.missing).filter((m): m is string => !!m);
    const note = `no data: ${reasons.length > 0 ? [...new Set(reasons)].join('; ') : 'the report has no points for this chart'}`;
    out.push(
      `<text class="no-data" x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" font-size="14" fill="#a00">${escapeHtml(note)}</text>`,
    );
  } else {
    const [x0, x1, xTicks] = range!;
    const inDomain = (x: number) => x >= x0 && x <= x1;
    const shown = all.filter(([x]) => inDomain(x));
    const [yMin, yMax] = shown.length > 0 ? extent(shown.map(([, y]) => y)) : [0, 0];
    const unit = o.yTickUnit ?? 1;
    const yTicks = niceTicks(Math.min(0, yMin) / unit, yMax / unit, 5).map((t) => t * unit);
    const [y0, y1] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
    const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
    const sy = (y: number) => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;

    for (const t of yTicks) {
      const y = px(sy(t));
      out.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/>`,
        `<text class="tick-y" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#333">${escapeHtml(o.formatY(t))}</text>`,
      );
    }
    for (const t of xTicks) {
      const x = px(sx(t));
      out.push(
        `<line x1="${x}" x2="${x}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#666"/>`,
        `<text class="tick-x" x="${x}" y="${MARGIN.top + plotH + 17}" text-anchor="middle" font-size="11" fill="#333">${escapeHtml(formatNumber(t, 2))}</text>`,
      );
    }
    out.push(
      `<text class="axis-x" x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 34}" text-anchor="middle" font-size="12" fill="#333">${escapeHtml(o.xLabel)}</text>`,
      `<text class="axis-y" x="14" y="${MARGIN.top + plotH / 2}" text-anchor="middle" font-size="12" fill="#333" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})">${escapeHtml(o.yLabel)}</text>`,
    );
    for (const m of o.markers ?? []) {
      if (m.x < x0 || m.x > x1) continue;
      const xn = sx(m.x);
      const x = px(xn);
      const failure = m.kind === 'failure';
      out.push(
        `<g class="marker marker-${m.kind}"><title>${escapeHtml(m.label)}</title>`,
        `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="${failure ? '#c00' : '#888'}" stroke-dasharray="${failure ? '2 2' : '5 4'}"/>`,
        failure
          ? `<path d="M${px(xn - 5)} ${MARGIN.top} L${px(xn + 5)} ${MARGIN.top} L${x} ${MARGIN.top + 8} Z" fill="#c00"/>`
          : `<text x="${px(xn + 3)}" y="${MARGIN.top + 12}" font-size="11" fill="#666">${escapeHtml(m.label)}</text>`,
        '</g>',
      );
    }
    o.series.forEach((s, i) => {
      const { color, dash, width: strokeWidth } = style(i);
      const pts = thin(
        s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && inDomain(x)),
        plotW,
      );
      if (pts.length === 0) return;
      const coords = pts.map(([x, y]) => `${px(sx(x))},${px(sy(y))}`).join(' ');
      out.push(
        `<polyline class="series" data-label="${escapeHtml(s.label)}" fill="none" stroke="${color}" stroke-width="${strokeWidth}"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round" points="${coords}"/>`,
      );
      if (pts.length === 1) {
        const [x, y] = pts[0]!;
        out.push(`<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="3" fill="${color}"/>`);
      }
    });
  }

  let rowY = MARGIN.top + plotH + MARGIN.bottom + 6;
  for (const row of legendRows) {
    for (const item of row) {
      const s = o.series[item.index]!;
      const { color, dash } = style(item.index);
      const empty = s.points.length === 0;
      const swatchDash = empty ? '3 3' : dash;
      out.push(
        `<line x1="${item.x}" x2="${item.x + 22}" y1="${rowY}" y2="${rowY}" stroke="${empty ? '#aaa' : color}" stroke-width="3"${swatchDash ? ` stroke-dasharray="${swatchDash}"` : ''}/>`,
        `<text x="${item.x + 28}" y="${rowY}" dominant-baseline="middle" font-size="12" fill="${empty ? '#a00' : '#222'}">${escapeHtml(item.text)}</text>`,
      );
    }
    rowY += LEGEND_ROW;
  }
  out.push('</svg>');
  return out.join('\n');
}

function style(i: number): { color: string; dash: string; width: number } {
  return {
    color: PALETTE[i % PALETTE.length]!,
    dash: DASHES[i % DASHES.length]!,
    width: WIDTHS[i % WIDTHS.length]!,
  };
}

interface LegendItem {
  index: number;
  text: string;
  x: number;
}

/** Places legend items left to right, wrapping rows; text width estimated at 6.6 px per character. */
function legendLayout(series: LineSeries[], width: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let row: LegendItem[] = [];
  let x = MARGIN.left;
  series.forEach((s, index) => {
    const text =
      s.points.length === 0 ? `${s.label}: no data: ${s.missing ?? 'no points in the report'}` : s.label;
    const w = 28 + Math.ceil(text.length * 6.6) + 18;
    if (row.length > 0 && x + w > width - MARGIN.right) {
      rows.push(row);
      row = [];
      x = MARGIN.left;
    }
    row.push({ index, text, x });
    x += w;
  });
  if (row.length > 0) rows.push(row);
  return rows;
}

/** The drawn x range and its ticks: the given domain (ticks inside it), else the data's nice extent. */
function xAxis(
  domain: [number, number] | undefined,
  points: Array<[number, number]>,
): [number, number, number[]] {
  if (domain && domain[1] > domain[0]) {
    const ticks = niceTicks(domain[0], domain[1], 10).filter((t) => t >= domain[0] && t <= domain[1]);
    return [domain[0], domain[1], ticks];
  }
  const [xMin, xMax] = extent(points.map(([x]) => x));
  const ticks = niceTicks(xMin, xMax, 10);
  return [ticks[0]!, ticks[ticks.length - 1]!, ticks];
}

/** Ticks at 1, 2 or 5 × 10^k covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count: number): number[] {
  let lo = min;
  let hi = max;
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= lo === 0 ? 0 : pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let i = 0; i <= 1000; i++) {
    const t = round(start + i * step);
    ticks.push(t);
    if (t >= hi) break;
  }
  return ticks;
}

/** Keeps a long series drawable: per pixel column, its first, lowest, highest and last points. */
function thin(points: Array<[number, number]>, columns: number): Array<[number, number]> {
  if (points.length <= MAX_POINTS) return points;
  const x0 = points[0]![0];
  const span = points[points.length - 1]![0] - x0 || 1;
  const buckets = new Map<number, Array<[number, number]>>();
  for (const p of points) {
    const b = Math.min(columns - 1, Math.floor(((p[0] - x0) / span) * columns));
    const list = buckets.get(b);
    if (list) list.push(p);
    else buckets.set(b, [p]);
  }
  const out: Array<[number, number]> = [];
  for (const list of buckets.values()) {
    const lo = list.reduce((a, b) => (b[1] < a[1] ? b : a));
    const hi = list.reduce((a, b) => (b[1] > a[1] ? b : a));
    const keep = new Set([list[0]!, lo, hi, list[list.length - 1]!]);
    out.push(...list.filter((p) => keep.has(p)));
  }
  return out;
}

/** [min, max] without spreading (long series would overflow the call stack). */
export function extent(values: number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

function px(v: number): string {
  return formatNumberPlain(Math.round(v * 10) / 10);
}

function formatNumberPlain(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

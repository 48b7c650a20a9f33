/**
 * `pushpull compare A B`: what changed between two runs — the verdict, the first failure and each key
 * figure (absolute and relative change) — and which configured thresholds B breaches, so a nightly
 * job can fail on a regression. Pure; cli/commands/compare.ts reads the files and prints the result.
 */

import { FIGURES, type FigureDef, type FigureName } from './figures.ts';
import {
  ANSWER_LABELS,
  ARM_LABELS,
  formatNumber,
  formatOffsetShort,
  formatPercent,
  formatValue,
} from './format.ts';
import { KIND_LABELS } from './signal-kinds.ts';
import { renderTextTable } from './text-table.ts';
import type { Figure, Report } from './types.ts';

/** Limits on how much worse B may be than A. Unset limits are not checked. */
export interface CompareThresholds {
  /** Largest allowed rise of StatsD's loss ratio, absolute (0.01 = one percentage point). */
  maxLossRatioIncrease?: number;
  /** Largest allowed relative rise of pull's scrape duration p99 (0.2 = +20%). */
  maxP99Increase?: number;
  /** Largest allowed rise of pull's up == 0 samples, absolute. */
  maxUpZeroIncrease?: number;
  /** Largest allowed rise of OTLP refused + failed points, absolute. */
  maxOtlpLossIncrease?: number;
  /** How many seconds earlier B's first failure may come than A's (a failure where A had none counts). */
  maxFirstFailureEarlierSeconds?: number;
  /** Fail when the overall verdict answer changes. */
  failOnVerdictChange?: boolean;
  /** Fail when B has a rig fault: books that do not close, rig-limited producers, a died producer. */
  failOnRigFault?: boolean;
}

export interface CompareRow {
  /** Stable key, e.g. "pull.scrapeDurationSeconds.p99". */
  key: string;
  label: string;
  /** Display values. */
  a: string;
  b: string;
  /** Numeric values (null for text rows or missing figures). */
  aValue: number | null;
  bValue: number | null;
  abs: number | null;
  /** (b − a) / a; null when a is 0 or either side is missing. */
  rel: number | null;
  change: string;
  /** The limit that applies to this row under the thresholds given, in words; null: none checked. */
  threshold: string | null;
  /** The threshold this row breaches, if any. */
  breach: string | null;
}

export interface CompareResult {
  rows: CompareRow[];
  breaches: string[];
}

/** The catalogue figures compared, in table order (OTLP refused + failed gets its own row below). */
const COMPARED: readonly FigureName[] = [
  'pull.scrapeDurationSeconds.p50',
  'pull.scrapeDurationSeconds.p99',
  'pull.scrapeDurationSeconds.max',
  'pull.scrapesOverTimeout',
  'pull.upZeroSamples',
  'pull.bodySizeBytes.max',
  'pull.sampleLimitBreaches',
  'pull.bodySizeLimitBreaches',
  'statsd.books.sent',
  'statsd.books.kernelDrops',
  'statsd.books.collectorQueueDrops',
  'statsd.books.unaccounted',
  'statsd.lossRatio',
  'statsd.peakDatagramsPer100ms',
  'otlp.pointsExported',
  'otlp.pointsRefused',
  'otlp.pointsFailed',
  'otlp.exportsFailed',
  'otlp.exportLatencySeconds.p99',
  'otlp.retries',
  'rig.scheduleLagMaxEvents',
];

/** Compares report `a` (the baseline) with `b` (the new run). */
export function compareReports(a: Report, b: Report, t: CompareThresholds = {}): CompareResult {
  const rows: CompareRow[] = [];

  const verdictChanged = a.verdict.answer !== b.verdict.answer;
  rows.push(
    textRow(
      'verdict.answer',
      'verdict',
      ANSWER_LABELS[a.verdict.answer],
      ANSWER_LABELS[b.verdict.answer],
      t.failOnVerdictChange && verdictChanged
        ? `the verdict changed from ${ANSWER_LABELS[a.verdict.answer]} to ${ANSWER_LABELS[b.verdict.answer]} (--fail-on-verdict-change)`
        : null,
      t.failOnVerdictChange ? 'must not change' : null,
    ),
  );
  for (const arm of ['statsd', 'otlp'] as const) {
    const va = a.verdict.perPushArm[arm];
    const vb = b.verdict.perPushArm[arm];
    if (va === undefined && vb === undefined) continue;
    rows.push(
      textRow(
        `verdict.perPushArm.${arm}`,
        `verdict for ${ARM_LABELS[arm]}`,
        va ? ANSWER_LABELS[va] : '— (no such arm)',
        vb ? ANSWER_LABELS[vb] : '— (no such arm)',
        null,
        null,
      ),
    );
  }
  rows.push(firstFailureRow(a, b, t));

  for (const key of COMPARED) {
    const def: FigureDef = FIGURES[key];
    const fa = def.read(a);
    const fb = def.read(b);
    if (!fa && !fb) continue;
    rows.push(figureRow(key, def.label, fa, fb, t));
  }

  const otlpRow = otlpLossRow(a, b, t);
  if (otlpRow) rows.push(otlpRow);

  const faults = rigFaults(b);
  rows.push(
    textRow(
      'rig.faults',
      'rig faults',
      rigFaults(a).join('; ') || 'none',
      faults.join('; ') || 'none',
      t.failOnRigFault && faults.length > 0
        ? `B has a rig fault: ${faults.join('; ')} (--fail-on-rig-fault)`
        : null,
      t.failOnRigFault ? 'none allowed' : null,
    ),
  );

  const breaches = rows.flatMap((r) => (r.breach ? [r.breach] : []));
  return { rows, breaches };
}

function percentagePoints(ratio: number): string {
  const n = formatNumber(ratio * 100, 2);
  return `${n} percentage point${n === '1' ? '' : 's'}`;
}

function textRow(
  key: string,
  label: string,
  a: string,
  b: string,
  breach: string | null,
  threshold: string | null,
): CompareRow {
  return {
    key,
    label,
    a,
    b,
    aValue: null,
    bValue: null,
    abs: null,
    rel: null,
    change: a === b ? 'same' : 'changed',
    threshold,
    breach,
  };
}

function firstFailureText(r: Report): string {
  const f = r.verdict.firstFailure;
  if (!f) return 'none';
  return `${ARM_LABELS[f.arm]} ${KIND_LABELS[f.kind]} at ${formatOffsetShort(f.offsetSeconds)}`;
}

function firstFailureRow(a: Report, b: Report, t: CompareThresholds): CompareRow {
  const fa = a.verdict.firstFailure;
  const fb = b.verdict.firstFailure;
  const row = textRow(
    'verdict.firstFailure',
    'first failure',
    firstFailureText(a),
    firstFailureText(b),
    null,
    t.maxFirstFailureEarlierSeconds !== undefined
      ? `at most ${formatNumber(t.maxFirstFailureEarlierSeconds, 2)} s earlier`
      : null,
  );
  row.aValue = fa?.offsetSeconds ?? null;
  row.bValue = fb?.offsetSeconds ?? null;
  if (fa && fb) {
    row.abs = fb.offsetSeconds - fa.offsetSeconds;
    row.change =
      row.abs === 0
        ? fa.arm === fb.arm && fa.kind === fb.kind
          ? 'same'
          : 'same time, other signal'
        : `${row.abs < 0 ? 'earlier' : 'later'} by ${formatNumber(Math.abs(row.abs), 2)} s`;
  } else if (fb && !fa) {
    row.change = 'new failure';
  } else if (fa && !fb) {
    row.change = 'no failure any more';
  }
  const limit = t.maxFirstFailureEarlierSeconds;
  if (limit !== undefined && fb) {
    const earlier = fa ? fa.offsetSeconds - fb.offsetSeconds : Number.POSITIVE_INFINITY;
    if (earlier > limit) {
      row.breach = fa
        ? `the first failure came ${formatNumber(earlier, 2)} s earlier (${firstFailureText(a)} → ${firstFailureText(b)}), more than the allowed ${formatNumber(limit, 2)} s (--max-first-failure-earlier)`
        : `B failed (${firstFailureText(b)}) where A did not (--max-first-failure-earlier)`;
    }
  }
  return row;
}

function display(f: Figure | undefined): string {
  if (!f) return '— (no such arm)';
  if (f.value === null) return `— (${f.missing ?? 'missing'})`;
  return formatValue(f.value, f.unit);
}

function changeText(abs: number, rel: number | null, unit: Figure['unit']): string {
  if (abs === 0) return 'same';
  const sign = abs > 0 ? '+' : '-';
  const absText =
    unit === 'ratio'
      ? `${sign}${formatNumber(Math.abs(abs) * 100, 2)} pp`
      : `${sign}${formatValue(Math.abs(abs), unit)}`;
  const relText = rel === null ? '' : ` (${rel > 0 ? '+' : '-'}${formatPercent(Math.abs(rel))})`;
  return `${absText}${relText}`;
}

function figureRow(
  key: string,
  label: string,
  fa: Figure | undefined,
  fb: Figure | undefined,
  t: CompareThresholds,
): CompareRow {
  const av = fa?.value ?? null;
  const bv = fb?.value ?? null;
  const unit = (fb ?? fa)!.unit;
  const abs = av !== null && bv !== null ? bv - av : null;
  const rel = abs !== null && av !== null && av !== 0 ? abs / av : null;
  const change =
    abs !== null
      ? changeText(abs, rel, unit)
      : av === null && bv === null
        ? 'missing in both'
        : bv === null
          ? 'missing in B'
          : 'missing in A';
  let breach: string | null = null;
  const threshold = rowThreshold(key, t);
  const over = (what: string, flag: string, limitText: string) =>
    `${label} ${what} (${display(fa)} → ${display(fb)}), more than the allowed ${limitText} (${flag})`;
  if (abs !== null) {
    if (key === 'statsd.lossRatio' && t.maxLossRatioIncrease !== undefined && abs > t.maxLossRatioIncrease) {
      breach = over(
        `rose by ${formatNumber(abs * 100, 2)} percentage points`,
        '--max-loss-ratio-increase',
        percentagePoints(t.maxLossRatioIncrease),
      );
    }
    if (key === 'pull.scrapeDurationSeconds.p99' && t.maxP99Increase !== undefined) {
      const r = rel ?? (abs > 0 ? Number.POSITIVE_INFINITY : 0);
      if (r > t.maxP99Increase) {
        breach = over(
          `rose by ${Number.isFinite(r) ? formatPercent(r) : 'from zero'}`,
          '--max-p99-increase',
          formatPercent(t.maxP99Increase),
        );
      }
    }
    if (key === 'pull.upZeroSamples' && t.maxUpZeroIncrease !== undefined && abs > t.maxUpZeroIncrease) {
      breach = over(
        `rose by ${formatNumber(abs)}`,
        '--max-up-zero-increase',
        formatNumber(t.maxUpZeroIncrease),
      );
    }
  }
  return {
    key,
    label,
    a: display(fa),
    b: display(fb),
    aValue: av,
    bValue: bv,
    abs,
    rel,
    change,
    threshold,
    breach,
  };
}

/** The limit a figure row is checked against, in words (the same limits figureRow and otlpLossRow apply). */
function rowThreshold(key: string, t: CompareThresholds): string | null {
  if (key === 'statsd.lossRatio' && t.maxLossRatioIncrease !== undefined)
    return `rise of at most ${percentagePoints(t.maxLossRatioIncrease)}`;
  if (key === 'pull.scrapeDurationSeconds.p99' && t.maxP99Increase !== undefined)
    return `rise of at most ${formatPercent(t.maxP99Increase)}`;
  if (key === 'pull.upZeroSamples' && t.maxUpZeroIncrease !== undefined)
    return `rise of at most ${formatNumber(t.maxUpZeroIncrease)}`;
  if (key === 'otlp.refusedPlusFailed' && t.maxOtlpLossIncrease !== undefined)
    return `rise of at most ${formatNumber(t.maxOtlpLossIncrease)}`;
  return null;
}

function otlpLossRow(a: Report, b: Report, t: CompareThresholds): CompareRow | null {
  const def: FigureDef = FIGURES['otlp.refusedPlusFailed'];
  const fa = def.read(a);
  const fb = def.read(b);
  if (!fa && !fb) return null;
  const row = figureRow('otlp.refusedPlusFailed', def.label, fa, fb, t);
  if (row.abs !== null && t.maxOtlpLossIncrease !== undefined && row.abs > t.maxOtlpLossIncrease) {
    row.breach = `OTLP refused + failed points rose by ${formatNumber(row.abs)} (${row.a} → ${row.b}), more than the allowed ${formatNumber(t.maxOtlpLossIncrease)} (--max-otlp-loss-increase)`;
  }
  return row;
}

function rigFaults(r: Report): string[] {
  const out: string[] = [];
  if (r.arms.statsd && !r.arms.statsd.books.closed) out.push("StatsD's books do not close");
  if (r.rig.rigLimited) out.push('rig-limited');
  if (r.rig.producersDied.length > 0) out.push(`${r.rig.producersDied.length} producer(s) died`);
  return out;
}

/** The comparison as a plain-text table for a terminal, breaches listed under it. */
export function renderCompareTable(result: CompareResult, labels: { a: string; b: string }): string {
  const head = ['figure', 'A', 'B', 'change', ''];
  const body = result.rows.map((r) => [r.label, r.a, r.b, r.change, r.breach ? 'BREACH' : '']);
  const out = [`A: ${labels.a}`, `B: ${labels.b}`, '', ...renderTextTable(head, body, 48), ''];
  if (result.breaches.length === 0) out.push('No threshold breached.');
  else {
    out.push(`${result.breaches.length} threshold(s) breached:`);
    for (const b of result.breaches) out.push(`  - ${b}`);
  }
  return `${out.join('\n')}\n`;
}

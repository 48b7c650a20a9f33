/**
 * The trend of a series of runs, oldest first: for each run its verdict, its expectations and a few key
 * figures, and whether it regressed against the run before it (report/compare.ts with the given
 * thresholds). `pushpull compare DIR` (a directory of run folders) and `pushpull history SCHEDULE` (the
 * reports a PushPullSchedule kept) both print it, so a local nightly loop and an in-cluster one read
 * the same. Pure.
 */
import { type CompareThresholds, compareReports } from './compare.ts';
import { tallyExpectations } from './expectations.ts';
import { FIGURES, type FigureName, readFigure } from './figures.ts';
import { ANSWER_LABELS, formatValue } from './format.ts';
import { renderTextTable } from './text-table.ts';
import type { Report } from './types.ts';

/** The figures a trend shows, in column order. */
export const TREND_FIGURES: readonly FigureName[] = [
  'statsd.lossRatio',
  'statsd.books.kernelDrops',
  'pull.scrapeDurationSeconds.p99',
  'pull.upZeroSamples',
  'otlp.refusedPlusFailed',
];

/** One run of the trend. */
export interface TrendRow {
  label: string;
  startedAt: string;
  verdict: string;
  /** e.g. "3/3 passed", "1/3 failed", "—" without expectations. */
  expectations: string;
  figures: Record<FigureName, number | null>;
  /** Breaches against the previous run; empty when none; null for the first run. */
  breaches: string[] | null;
}

export interface Trend {
  rows: TrendRow[];
  /** The breaches of the newest run against the one before it (what a nightly gate fails on). */
  latestBreaches: string[];
}

function expectationsCell(r: Report): string {
  if (!r.expectations) return '—';
  const t = tallyExpectations(r.expectations);
  if (t.allPassed) return `${t.passed}/${t.total} passed`;
  const parts = [t.failed > 0 ? `${t.failed} failed` : '', t.missing > 0 ? `${t.missing} missing` : ''];
  return `${parts.filter(Boolean).join(', ')} of ${t.total}`;
}

/** The trend of `runs` (any order: they are sorted by run.startedAt). */
export function buildTrend(
  runs: ReadonlyArray<{ label: string; report: Report }>,
  thresholds: CompareThresholds = {},
): Trend {
  const sorted = [...runs].sort((a, b) => a.report.run.startedAt.localeCompare(b.report.run.startedAt));
  const rows = sorted.map(({ label, report }, i): TrendRow => {
    const previous = sorted[i - 1]?.report;
    const figures = Object.fromEntries(
      TREND_FIGURES.map((name) => [name, readFigure(report, name).value]),
    ) as Record<FigureName, number | null>;
    return {
      label,
      startedAt: report.run.startedAt,
      verdict: ANSWER_LABELS[report.verdict.answer],
      expectations: expectationsCell(report),
      figures,
      breaches: previous ? compareReports(previous, report, thresholds).breaches : null,
    };
  });
  return { rows, latestBreaches: rows[rows.length - 1]?.breaches ?? [] };
}

/** The trend as a plain-text table, breaches of each run listed under it. */
export function renderTrendTable(trend: Trend): string {
  const head = [
    'run',
    'started',
    'verdict',
    'expectations',
    ...TREND_FIGURES.map((n) => FIGURES[n].label),
    'vs previous',
  ];
  const body = trend.rows.map((r) => [
    r.label,
    r.startedAt.slice(0, 16).replace('T', ' '),
    r.verdict,
    r.expectations,
    ...TREND_FIGURES.map((n) => {
      const v = r.figures[n];
      return v === null ? '—' : formatValue(v, FIGURES[n].unit);
    }),
    r.breaches === null ? '' : r.breaches.length === 0 ? 'ok' : `REGRESSED (${r.breaches.length})`,
  ]);
  const out = [...renderTextTable(head, body, 40), ''];
  const regressed = trend.rows.filter((r) => r.breaches && r.breaches.length > 0);
  if (trend.rows.length < 2) out.push('One run: nothing to compare yet.');
  else if (regressed.length === 0) out.push('No run regressed against the one before it.');
  for (const r of regressed) {
    out.push(`${r.label} regressed against the run before it:`);
    for (const b of r.breaches!) out.push(`  - ${b}`);
  }
  return `${out.join('\n')}\n`;
}

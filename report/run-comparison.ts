/**
 * A run's comparison as its own report carries it (report.json `comparisons`): report/compare.ts's rows
 * under the given thresholds, each with both values, the change, its threshold and whether it
 * regressed, plus what it was compared with. Pure; the schedule controller (operator/schedule/) builds
 * one per report it compared a finished run with and writes them into that run's report.
 */
import { type CompareThresholds, compareReports } from './compare.ts';
import type { Report, RunComparison } from './types.ts';

/** Compares `b` (this run) with `a` (the run before it, or the pinned baseline). */
export function runComparison(opts: {
  against: RunComparison['against'];
  a: Report;
  b: Report;
  thresholds: CompareThresholds;
  comparedAt: string;
}): RunComparison {
  const result = compareReports(opts.a, opts.b, opts.thresholds);
  return {
    against: opts.against,
    comparedAt: opts.comparedAt,
    regressed: result.breaches.length > 0,
    breaches: result.breaches,
    rows: result.rows.map((r) => ({
      key: r.key,
      label: r.label,
      a: r.a,
      b: r.b,
      aValue: r.aValue,
      bValue: r.bValue,
      change: r.change,
      threshold: r.threshold,
      regressed: r.breach !== null,
      breach: r.breach,
    })),
  };
}

/** The report with its comparisons (replacing any an earlier pass wrote: the same pair gives the same rows). */
export function withComparisons(report: Report, comparisons: RunComparison[]): Report {
  return { ...report, comparisons };
}

/**
 * Checks the spec's `expect` thresholds against an assembled report: each expectation gets its
 * measured figure (with the source, or the reason it is missing) and pass, fail or missing. Pure;
 * measure/assemble.ts runs it as the last step, so both runtimes' reports carry the list, and
 * `pushpull run`'s exit code and the operator's Passed condition are read from it.
 */
import type { Expectation, ExpectationOp } from '../api/v1alpha1/schema.ts';
import { readFigure } from './figures.ts';
import { formatValue } from './format.ts';
import type { ExpectationResult, Report } from './types.ts';

const HOLDS: Record<ExpectationOp, (measured: number, threshold: number) => boolean> = {
  '<': (m, t) => m < t,
  '<=': (m, t) => m <= t,
  '==': (m, t) => m === t,
  '>=': (m, t) => m >= t,
  '>': (m, t) => m > t,
};

/** Every expectation of `expect`, in order, checked against `report`. */
export function evaluateExpectations(report: Report, expect: readonly Expectation[]): ExpectationResult[] {
  return expect.map((e) => {
    const measured = readFigure(report, e.figure);
    const outcome =
      measured.value === null ? 'missing' : HOLDS[e.op](measured.value, e.threshold) ? 'pass' : 'fail';
    return { figure: e.figure, op: e.op, threshold: e.threshold, measured, outcome };
  });
}

/** How the expectations came out as a whole. */
export interface ExpectationsTally {
  total: number;
  passed: number;
  failed: number;
  missing: number;
  /** True only when there is at least one expectation and every one passed. */
  allPassed: boolean;
}

/** Counts the outcomes. */
export function tallyExpectations(results: readonly ExpectationResult[]): ExpectationsTally {
  const count = (o: ExpectationResult['outcome']) => results.filter((r) => r.outcome === o).length;
  const passed = count('pass');
  return {
    total: results.length,
    passed,
    failed: count('fail'),
    missing: count('missing'),
    allPassed: results.length > 0 && passed === results.length,
  };
}

/** One line per expectation, e.g. `statsd.lossRatio <= 0.1%: FAIL, measured 2.5% (source)`. */
export function describeExpectation(r: ExpectationResult): string {
  const unit = r.measured.unit;
  const head = `${r.figure} ${r.op} ${formatValue(r.threshold, unit)}`;
  if (r.outcome === 'missing') return `${head}: MISSING (${r.measured.missing ?? 'no value'})`;
  const measured = formatValue(r.measured.value!, unit);
  return `${head}: ${r.outcome === 'pass' ? 'pass' : 'FAIL'}, measured ${measured}`;
}

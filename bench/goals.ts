/**
 * The bench's goals (issue 2): pull ≤ 0.5 µs per event, statsd perEvent ≤ 5 µs, statsd buffered ≤ 1 µs
 * (medians of the rig's path: what the producer pays per event), and the rig's overhead over the library
 * alone ≤ 10% for every case. Goals are reported, met or not, with their figures; they are a benchmark and
 * never a test verdict. Pure; called by bench/emit.ts.
 */
import type { CaseFigures } from './result.ts';

/** One goal and how the run fared. */
export interface GoalResult {
  id: string;
  description: string;
  /** The figure must be at most this. */
  limit: number;
  unit: 'µs' | '%';
  figure: number | null;
  /** null when the case did not run or produced no figure. */
  met: boolean | null;
}

interface CostGoal {
  caseId: string;
  limitUs: number;
  description: string;
}

const COST_GOALS: readonly CostGoal[] = [
  { caseId: 'pull/scrape', limitUs: 0.5, description: 'pull: µs per event, median (rig path)' },
  { caseId: 'statsd/perEvent', limitUs: 5, description: 'statsd perEvent: µs per event, median (rig path)' },
  { caseId: 'statsd/buffered', limitUs: 1, description: 'statsd buffered: µs per event, median (rig path)' },
];

/** The rig's overhead limit, in percent of the library alone. */
export const OVERHEAD_LIMIT_PERCENT = 10;

function judge(figure: number | null, limit: number): boolean | null {
  return figure === null ? null : figure <= limit;
}

/** Evaluates every goal that applies to the cases that ran, in table order. */
export function evaluateGoals(cases: readonly CaseFigures[]): GoalResult[] {
  const goals: GoalResult[] = [];
  for (const g of COST_GOALS) {
    const c = cases.find((x) => x.id === g.caseId);
    if (!c) continue;
    goals.push({
      id: `cost:${g.caseId}`,
      description: g.description,
      limit: g.limitUs,
      unit: 'µs',
      figure: c.rig.medianUs,
      met: judge(c.rig.medianUs, g.limitUs),
    });
  }
  for (const c of cases) {
    goals.push({
      id: `overhead:${c.id}`,
      description: `${c.id}: rig overhead over the library alone`,
      limit: OVERHEAD_LIMIT_PERCENT,
      unit: '%',
      figure: c.overheadPercent,
      met: judge(c.overheadPercent, OVERHEAD_LIMIT_PERCENT),
    });
  }
  return goals;
}

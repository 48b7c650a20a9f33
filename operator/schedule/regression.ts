/**
 * History and regressions of a schedule: which two reports to compare (the newest finished run and
 * the run before it, whose report may be one the schedule kept after deleting its experiment), and the
 * comparison itself, which is `pushpull compare` (report/compare.ts) with the schedule's thresholds.
 * Pure; the I/O in reconcile-schedule.ts loads the two reports.
 */
import type { Regression } from '../../api/v1alpha1/schedule-schema.ts';
import { type CompareResult, compareReports } from '../../report/compare.ts';
import { runComparison } from '../../report/run-comparison.ts';
import type { Report, RunComparison } from '../../report/types.ts';
import { isFinished, type KeptReport, type RunView } from './runs.ts';

/** A report to load: the experiment it belongs to and its ConfigMap. */
export interface ReportRef {
  experiment: string;
  configMap: string;
  scheduledAtMs: number;
}

/** What the newest run was compared with: the run before it, a pinned baseline report, or both. */
export interface ComparedWith {
  newest: string;
  /** The run before the newest one (an experiment name). */
  previous?: string;
  /** spec.regression.baseline: a report ConfigMap. */
  baseline?: string;
}

/** How a comparison came out (or why it could not be made): kept in status so it is made once. */
export type ComparisonFacts = (ComparedWith & { breaches: string[] }) | (ComparedWith & { error: string });

/** The reports of a comparison as the I/O loaded them (and their ConfigMaps), or why it could not. */
export type LoadedPair =
  | (ComparedWith & {
      reports: { newest: Report; previous?: Report; baseline?: Report };
      configMaps: { newest: string; previous?: string };
    })
  | (ComparedWith & { error: string });

/** "b against a", "b against a and the baseline x-report", "b against the baseline x-report". */
export function describeComparison(c: ComparedWith): string {
  const parts = [c.previous, c.baseline ? `the baseline ${c.baseline}` : undefined].filter(Boolean);
  return `${c.newest} against ${parts.join(' and ')}`;
}

/** Compares a loaded pair under the thresholds; breaches against the baseline say so. */
export function comparePair(pair: LoadedPair, regression: Regression): ComparisonFacts {
  const { newest, previous, baseline } = pair;
  const names: ComparedWith = {
    newest,
    ...(previous ? { previous } : {}),
    ...(baseline ? { baseline } : {}),
  };
  if ('error' in pair) return { ...names, error: pair.error };
  const { previous: p, baseline: b } = comparedReports(pair, regression);
  const breaches = [...(p?.breaches ?? []), ...(b?.breaches.map((x) => `baseline ${baseline}: ${x}`) ?? [])];
  return { ...names, breaches };
}

/**
 * The comparisons the newest run's own report carries (the same ones comparePair counts breaches of),
 * or none when the pair could not be loaded.
 */
export function reportComparisons(
  pair: LoadedPair,
  regression: Regression,
  comparedAt: string,
): RunComparison[] {
  if ('error' in pair) return [];
  const out: RunComparison[] = [];
  if (pair.previous && pair.reports.previous && pair.configMaps.previous) {
    out.push(
      runComparison({
        against: { kind: 'previous', name: pair.previous, configMap: pair.configMaps.previous },
        a: pair.reports.previous,
        b: pair.reports.newest,
        thresholds: regression,
        comparedAt,
      }),
    );
  }
  if (pair.baseline && pair.reports.baseline) {
    out.push(
      runComparison({
        against: { kind: 'baseline', name: pair.baseline, configMap: pair.baseline },
        a: pair.reports.baseline,
        b: pair.reports.newest,
        thresholds: regression,
        comparedAt,
      }),
    );
  }
  return out;
}

function comparedReports(
  pair: Extract<LoadedPair, { reports: unknown }>,
  regression: Regression,
): { previous?: CompareResult; baseline?: CompareResult } {
  const { reports } = pair;
  return {
    ...(reports.previous ? { previous: compareReports(reports.previous, reports.newest, regression) } : {}),
    ...(reports.baseline ? { baseline: compareReports(reports.baseline, reports.newest, regression) } : {}),
  };
}

/** A comparison to make: refs of the reports to load. */
export interface ComparisonRefs {
  newest: ReportRef;
  previous?: ReportRef;
  baseline?: string;
}

/**
 * The newest finished run with a report, the report before it and the pinned baseline (a ConfigMap
 * name); undefined when there is nothing to compare the newest with.
 */
export function comparisonPair(
  runs: readonly RunView[],
  kept: readonly KeptReport[],
  baseline?: string,
): ComparisonRefs | undefined {
  const refs: ReportRef[] = [
    ...runs
      .filter((r) => isFinished(r) && r.reportConfigMap && !r.deleting)
      .map((r) => ({ experiment: r.name, configMap: r.reportConfigMap!, scheduledAtMs: r.scheduledAtMs })),
    ...kept.map((k) => ({
      experiment: k.experiment,
      configMap: k.configMap,
      scheduledAtMs: k.scheduledAtMs,
    })),
  ]
    .filter((r) => r.configMap !== baseline)
    .sort((a, b) => b.scheduledAtMs - a.scheduledAtMs);
  const [newest, previous] = refs;
  if (!newest || (!previous && !baseline)) return undefined;
  return { newest, ...(previous ? { previous } : {}), ...(baseline ? { baseline } : {}) };
}

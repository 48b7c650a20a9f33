/**
 * History and regressions of a schedule: which two reports to compare (the newest finished run and
 * the run before it, whose report may be one the schedule kept after deleting its experiment), and the
 * comparison itself, which is `pushpull compare` (report/compare.ts) with the schedule's thresholds.
 * Pure; the I/O in reconcile-schedule.ts loads the two reports.
 */
import type { Regression } from '../../api/v1alpha1/schedule-schema.ts';
import { compareReports } from '../../report/compare.ts';
import type { Report } from '../../report/types.ts';
import { isFinished, type KeptReport, type RunView } from './runs.ts';

/** A report to load: the experiment it belongs to and its ConfigMap. */
export interface ReportRef {
  experiment: string;
  configMap: string;
  scheduledAtMs: number;
}

/** How a pair compared (or why it could not be): kept in status so a pair is compared once. */
export type ComparisonFacts =
  | { newest: string; previous: string; breaches: string[] }
  | { newest: string; previous: string; error: string };

/** The two reports of a pair as the I/O loaded them, or why it could not. */
export type LoadedPair =
  | { newest: string; previous: string; reports: { newest: Report; previous: Report } }
  | { newest: string; previous: string; error: string };

/** Compares a loaded pair under the thresholds. */
export function comparePair(pair: LoadedPair, regression: Regression): ComparisonFacts {
  if ('error' in pair) return pair;
  return {
    newest: pair.newest,
    previous: pair.previous,
    breaches: compareReports(pair.reports.previous, pair.reports.newest, regression).breaches,
  };
}

/** The newest finished run with a report and the report before it; undefined with fewer than two. */
export function comparisonPair(
  runs: readonly RunView[],
  kept: readonly KeptReport[],
): { newest: ReportRef; previous: ReportRef } | undefined {
  const refs: ReportRef[] = [
    ...runs
      .filter((r) => isFinished(r) && r.reportConfigMap && !r.deleting)
      .map((r) => ({ experiment: r.name, configMap: r.reportConfigMap!, scheduledAtMs: r.scheduledAtMs })),
    ...kept.map((k) => ({
      experiment: k.experiment,
      configMap: k.configMap,
      scheduledAtMs: k.scheduledAtMs,
    })),
  ].sort((a, b) => b.scheduledAtMs - a.scheduledAtMs);
  const [newest, previous] = refs;
  return newest && previous ? { newest, previous } : undefined;
}

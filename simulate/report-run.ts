/**
 * What the model needs to know about a measured run to re-run it: the spec as the run used it, its fleet
 * after scale, and the wall-clock instant its load started. calibration.ts and against.ts both start here.
 */
import { scaledProducers } from '../api/v1alpha1/derived.ts';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { Report } from '../report/types.ts';

/** A measured run as the model sees it. */
export interface ReportRun {
  label: string;
  report: Report;
  spec: ExperimentSpec;
  producers: number;
  startAtMs: number;
}

/** The run behind `report`; throws naming the field when the report cannot be re-run. */
export function reportRun(report: Report, label: string): ReportRun {
  const startAt = report.run.loadStartAt;
  const startAtMs = startAt === null ? Number.NaN : Date.parse(startAt);
  if (!Number.isFinite(startAtMs)) {
    throw new RangeError(
      `${label}: run.loadStartAt is ${JSON.stringify(startAt)}; expected the instant the load started (the run never reached its load?)`,
    );
  }
  const spec = report.experiment.spec;
  return { label, report, spec, producers: scaledProducers(spec), startAtMs };
}

/** The points of chart `id` (of `arm`) in `report`, or [] when the report has none. */
export function chartPoints(report: Report, id: string, arm?: string): Array<[number, number]> {
  return report.charts.find((c) => c.id === id && (arm === undefined || c.arm === arm))?.points ?? [];
}

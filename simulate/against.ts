/**
 * `pushpull simulate --against report.json`: the model re-runs a measured run (its spec, fleet after
 * scale and load start) and each predicted figure is set beside the measured one with the error and the
 * tolerance it is held to. The tolerances and why they are what they are: docs/simulate.md.
 */
import type { Report } from '../report/types.ts';
import { firstFailure, predictedFailures } from './failures.ts';
import { type SimulationResult, simulate } from './model.ts';
import type { ReportRun } from './report-run.ts';
import type { Calibration, Sizing } from './sizing.ts';

/** The figures compared, each with its tolerance: |predicted − measured| ≤ max(absolute, relative × measured). */
export const TOLERANCES = {
  datagramsSent: { relative: 0.1, absolute: 5 },
  peakDatagramsPer100ms: { relative: 0.2, absolute: 2 },
  kernelDrops: { relative: 0.1, absolute: 0 },
  kernelDropRatio: { relative: 0, absolute: 0.02 },
  scrapeP99Seconds: { relative: 0.3, absolute: 0.02 },
  expositionBytesPerSecond: { relative: 0.1, absolute: 0 },
  firstFailureSeconds: { relative: 0, absolute: 1.5 },
} as const;

export type ComparedFigure = keyof typeof TOLERANCES;

/** One predicted figure beside its measurement. */
export interface Comparison {
  figure: ComparedFigure;
  predicted: number | null;
  measured: number | null;
  /** predicted − measured, and relative to measured (null when measured is 0 or missing). */
  error: number | null;
  relativeError: number | null;
  within: boolean | null;
  /** Why the comparison could not be made. */
  missing?: string;
  note?: string;
}

/** The prediction of a run and how it compares. */
export interface AgainstResult {
  run: string;
  result: SimulationResult;
  comparisons: Comparison[];
  /** First failure, predicted and measured: arm and kind. */
  firstFailure: { predicted: string | null; measured: string | null; same: boolean };
}

function compare(
  figure: ComparedFigure,
  predicted: number | null,
  measured: number | null,
  missing?: string,
  note?: string,
): Comparison {
  if (predicted === null || measured === null) {
    return {
      figure,
      predicted,
      measured,
      error: null,
      relativeError: null,
      within: null,
      missing: missing ?? 'no prediction',
      note,
    };
  }
  const tol = TOLERANCES[figure];
  const error = predicted - measured;
  return {
    figure,
    predicted,
    measured,
    error,
    relativeError: measured !== 0 ? error / measured : null,
    within: Math.abs(error) <= Math.max(tol.absolute, tol.relative * Math.abs(measured)),
    note,
  };
}

/** Measured fleet exposition bytes per second: the largest body during the burst × targets / interval. */
function measuredExposition(report: Report): { value: number | null; missing?: string } {
  const pull = report.arms.pull;
  const interval = report.experiment.spec.arms.pull?.scrapeIntervalSeconds;
  if (!pull || !interval) return { value: null, missing: 'the run has no pull arm' };
  const during = pull.bodySizeBytes.during.value;
  if (during === null)
    return { value: null, missing: pull.bodySizeBytes.during.missing ?? 'no body size measured' };
  if (during === 0)
    return {
      value: null,
      missing: 'every scrape during the burst failed, so Prometheus recorded no body size',
    };
  return { value: (during * pull.targets) / interval };
}

/** Predicts `run` and compares. */
export function against(run: ReportRun, sizing: Sizing, calibration: Calibration): AgainstResult {
  const result = simulate({
    spec: run.spec,
    producers: run.producers,
    startAtMs: run.startAtMs,
    sizing,
    calibration,
  });
  const m = run.report;
  const out: Comparison[] = [];
  if (result.statsd && m.arms.statsd) {
    const s = m.arms.statsd;
    out.push(compare('datagramsSent', result.statsd.sent, s.books.sent.value, s.books.sent.missing));
    out.push(
      compare(
        'peakDatagramsPer100ms',
        result.statsd.datagramStats.peak,
        s.peakDatagramsPer100ms.value,
        s.peakDatagramsPer100ms.missing,
      ),
    );
    out.push(
      compare(
        'kernelDrops',
        result.statsd.kernelDrops,
        s.books.kernelDrops.value,
        s.books.kernelDrops.missing,
      ),
    );
    const sent = s.books.sent.value;
    const drops = s.books.kernelDrops.value;
    out.push(
      compare(
        'kernelDropRatio',
        result.statsd.sent > 0 ? result.statsd.kernelDrops / result.statsd.sent : 0,
        sent && drops !== null ? drops / sent : null,
        'sent or kernel drops not measured',
      ),
    );
  }
  if (result.pull && m.arms.pull) {
    const p99 = m.arms.pull.scrapeDurationSeconds.p99;
    out.push(compare('scrapeP99Seconds', result.pull.durationP99, p99.value, p99.missing));
    const exp = measuredExposition(m);
    out.push(
      compare('expositionBytesPerSecond', result.pull.expositionBytesPerSecond, exp.value, exp.missing),
    );
  }
  const predictedFirst = firstFailure(predictedFailures(result));
  const measuredFirst = m.verdict.firstFailure;
  out.push(
    compare(
      'firstFailureSeconds',
      predictedFirst?.atSeconds ?? null,
      measuredFirst?.offsetSeconds ?? null,
      predictedFirst || measuredFirst
        ? 'only one of model and run has a failure'
        : 'neither model nor run has a failure',
      predictedFirst && measuredFirst
        ? `${predictedFirst.arm}/${predictedFirst.kind} vs ${measuredFirst.arm}/${measuredFirst.kind}`
        : undefined,
    ),
  );
  const name = (f: { arm: string; kind: string } | null | undefined) => (f ? `${f.arm}/${f.kind}` : null);
  const predicted = name(predictedFirst);
  const measured = name(measuredFirst);
  return {
    run: run.label,
    result,
    comparisons: out,
    firstFailure: { predicted, measured, same: predicted === measured },
  };
}

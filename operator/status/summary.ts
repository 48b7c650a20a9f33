/**
 * The part of report.json that goes into `.status`: the verdict sentence, the first failure, a few key
 * figures and what is missing, plus the one-line per-arm summary the `Arms` printer column shows. Pure.
 */

import { ARM_NAMES } from '../../api/v1alpha1/schema.ts';
import { describeExpectation, tallyExpectations } from '../../report/expectations.ts';
import { FIGURES, type FigureName } from '../../report/figures.ts';
import type { Report } from '../../report/types.ts';
import type { ReportSummary } from './types.ts';

/** The figures status carries, by their catalogue names (report/figures.ts); those of absent arms are left out. */
const SUMMARY_FIGURES: readonly FigureName[] = [
  'pull.scrapeDurationSeconds.p99',
  'pull.upZeroSamples',
  'pull.eventsSeen',
  'statsd.books.sent',
  'statsd.books.kernelDrops',
  'statsd.lossRatio',
  'otlp.pointsRefused',
  'otlp.pointsFailed',
];

/** At most this many `missing` lines go into status (the report has all of them). */
const MAX_MISSING = 5;

export function summarizeReport(report: Report): { summary: ReportSummary; arms: string } {
  const figures: Record<string, number | null> = {};
  for (const name of SUMMARY_FIGURES) {
    const figure = FIGURES[name].read(report);
    if (figure) figures[name] = figure.value;
  }
  const first = report.verdict.firstFailure;
  const missing = report.run.missing;
  const summary: ReportSummary = {
    answer: report.verdict.answer,
    sentence: report.verdict.sentence,
    firstFailure: first
      ? { arm: first.arm, kind: first.kind, at: first.at, visibleToOperator: first.visibleToOperator }
      : null,
    figures,
    missing:
      missing.length > MAX_MISSING
        ? [...missing.slice(0, MAX_MISSING), `... and ${missing.length - MAX_MISSING} more in the report`]
        : missing,
  };
  if (report.expectations) {
    summary.expectations = {
      ...tallyExpectations(report.expectations),
      notPassed: report.expectations.filter((e) => e.outcome !== 'pass').map(describeExpectation),
    };
  }
  const arms = ARM_NAMES.filter((arm) => report.arms[arm])
    .map((arm) => {
      const signal = report.signals.find((s) => s.arm === arm);
      return `${arm}:${signal ? signal.kind : 'ok'}`;
    })
    .join(' ');
  return { summary, arms };
}

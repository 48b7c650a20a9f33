/**
 * The part of report.json that goes into `.status`: the verdict sentence, the first failure, a few key
 * figures and what is missing, plus the one-line per-arm summary the `Arms` printer column shows. Pure.
 */

import { ARM_NAMES } from '../../api/v1alpha1/schema.ts';
import { describeExpectation, tallyExpectations } from '../../report/expectations.ts';
import type { Figure, Report } from '../../report/types.ts';
import type { ReportSummary } from './types.ts';

const v = (f: Figure | undefined): number | null => f?.value ?? null;

/** At most this many `missing` lines go into status (the report has all of them). */
const MAX_MISSING = 5;

export function summarizeReport(report: Report): { summary: ReportSummary; arms: string } {
  const { pull, statsd, otlp } = report.arms;
  const figures: Record<string, number | null> = {};
  if (pull) {
    figures['pull.scrapeDurationP99Seconds'] = v(pull.scrapeDurationSeconds.p99);
    figures['pull.upZeroSamples'] = v(pull.upZeroSamples);
    figures['pull.eventsSeen'] = v(pull.eventsSeen);
  }
  if (statsd) {
    figures['statsd.sent'] = v(statsd.books.sent);
    figures['statsd.kernelDrops'] = v(statsd.books.kernelDrops);
    figures['statsd.lossRatio'] = v(statsd.lossRatio);
  }
  if (otlp) {
    figures['otlp.pointsRefused'] = v(otlp.pointsRefused);
    figures['otlp.pointsFailed'] = v(otlp.pointsFailed);
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

/**
 * The report test cases: MeasurementInputs recorded from real local runs (report/testdata/<case>.input.json,
 * written by `pushpull run` as measurement-input.json beside report.json), assembled into reports by the
 * same measure/assemble.ts the runtimes call, so a change in what the pipeline emits shows in the goldens
 * (<case>.golden.json / .golden.md / .golden.html). How to record a case again: docs/report.md.
 */
import { readFileSync } from 'node:fs';
import { assembleReport } from '../../measure/assemble.ts';
import type { MeasurementInput } from '../../measure/inputs.ts';
import { assertGolden as assertGoldenFile } from '../../testing/golden.ts';
import type { Report } from '../types.ts';

/**
 * The recorded cases (local/scenarios/<case>/experiment.yaml): no stress (the same), a 4 KiB StatsD
 * socket buffer with kernel drops (push harder), scrapes over a 0.1 s timeout (push easier), a run
 * stopped by SIGINT 10 s into its load, and one whose producer pull/1 was SIGKILLed 3 s into it (both
 * inconclusive). A run stopped before its load leaves no input to record: the verdict's table tests
 * (builders.ts) cover it.
 */
export const CASES = [
  'no-stress',
  'small-buffer',
  'scrape-timeout',
  'interrupted',
  'producer-killed',
  'short-lived-jobs',
  'statsd-loss',
  'otlp-partition',
] as const;
export type CaseName = (typeof CASES)[number];

/** The recorded input of a case, fresh on each call (tests may edit it). */
export function loadInput(name: CaseName): MeasurementInput {
  return JSON.parse(
    readFileSync(new URL(`./${name}.input.json`, import.meta.url), 'utf8'),
  ) as MeasurementInput;
}

/** The report of a case, assembled from its recorded input after `edit` (if any) changed the input. */
export function loadCase(name: CaseName, edit?: (input: MeasurementInput) => void): Report {
  const input = loadInput(name);
  edit?.(input);
  return assembleReport(input);
}

/** An edit for loadCase: the otlp arm's export timings could not be read (its p50/p99 figures go null). */
export function withoutExportLatency(input: MeasurementInput): void {
  input.ledgerBooks.otlpExportLatency = {
    value: null,
    source: 'producer ledgers: exportLatencyBuckets (final)',
    missing: 'the otlp producer left no final ledger',
  };
}

/**
 * An edit for loadCase: the spec sets three expectations — one that fails (pull scrape p99 within 0.1%
 * of the timeout), one that passes (no OTLP point refused) and one whose figure is missing (the OTLP
 * export latency, made unreadable) — for the tests of everything that reads `expectations`.
 */
export function withMixedExpectations(input: MeasurementInput): void {
  withoutExportLatency(input);
  input.spec.expect = [
    { figure: 'pull.scrapeP99OverTimeout', op: '<=', threshold: 0.001 },
    { figure: 'otlp.pointsRefused', op: '==', threshold: 0 },
    { figure: 'otlp.exportLatencySeconds.p99', op: '<=', threshold: 0.25 },
  ];
}

/** Compares `actual` with report/testdata/<file>, or rewrites it when UPDATE_GOLDEN=1. */
export function assertGolden(file: string, actual: string): void {
  assertGoldenFile(new URL(`./${file}`, import.meta.url), actual);
}

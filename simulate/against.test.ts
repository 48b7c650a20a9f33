/**
 * The model predicts the runs recorded on this machine (simulate/testdata: the local scenarios small-buffer
 * with kernel drops, scrape-timeout and no-stress, and aggregated-burst, synchronised aggregated flushes
 * into a small buffer), calibrated from the same four reports, within the tolerances of against.ts
 * (justified in docs/simulate.md). The kernel drops of small-buffer and aggregated-burst are in-sample
 * (the drain and the per-byte send time are fitted to them), and so is part of the scrape p99 (its
 * tail); the other figures are predicted, not fitted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseReport } from '../report/parse-report.ts';
import { against } from './against.ts';
import { calibrate } from './calibration.ts';
import { reportRun } from './report-run.ts';
import { DEFAULT_SIZING } from './sizing.ts';

const NAMES = ['small-buffer', 'scrape-timeout', 'no-stress', 'aggregated-burst'] as const;
/**
 * aggregated-burst's first signal was 6 drops of 20 datagrams at a calm-phase flush, near the threshold:
 * an expectation model places the first drop at the first burst flush instead (docs/simulate.md). Its
 * arm and kind must still match.
 */
const KNOWN_MISSES: Record<string, readonly string[]> = { 'aggregated-burst': ['firstFailureSeconds'] };
const runs = NAMES.map((n) =>
  reportRun(parseReport(readFileSync(new URL(`./testdata/${n}.report.json`, import.meta.url), 'utf8'), n), n),
);
const calibration = calibrate(runs);

describe('simulate --against recorded runs', () => {
  for (const run of runs) {
    it(`predicts ${run.label} within the stated tolerances`, () => {
      const r = against(run, DEFAULT_SIZING, calibration);
      for (const c of r.comparisons) {
        if (c.within === null || KNOWN_MISSES[run.label]?.includes(c.figure)) continue;
        assert.ok(c.within, `${run.label} ${c.figure}: predicted ${c.predicted}, measured ${c.measured}`);
      }
      assert.ok(
        r.firstFailure.same,
        `first failure: predicted ${r.firstFailure.predicted}, measured ${r.firstFailure.measured}`,
      );
      assert.ok(r.comparisons.filter((c) => c.within !== null).length >= 2, 'at least two figures compared');
    });
  }
  it('says why a figure cannot be compared', () => {
    const timeout = against(runs[1]!, DEFAULT_SIZING, calibration);
    const exposition = timeout.comparisons.find((c) => c.figure === 'expositionBytesPerSecond');
    assert.match(exposition?.missing ?? '', /every scrape during the burst failed/);
  });
  it('states which reports calibrated what', () => {
    assert.deepEqual(calibration.reports, [...NAMES]);
    assert.ok(calibration.statsdDrainPerSecond.calibrated);
    assert.match(calibration.statsdDrainPerSecond.source, /small-buffer.*aggregated-burst/);
    assert.ok(calibration.senderSecondsPerByte.calibrated);
    assert.ok(calibration.scrapeBytesPerSecond.calibrated);
    assert.ok(!calibration.otelcolBytesPerPoint.calibrated);
  });
});

/**
 * The model predicts three runs the local scenario suite recorded on this machine (simulate/testdata:
 * small-buffer with kernel drops, scrape-timeout, no-stress), calibrated from the same three reports,
 * within the tolerances of against.ts (justified in docs/simulate.md). The kernel drops of small-buffer
 * are in-sample: the drain rate is fitted to them; every other figure is predicted, not fitted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseReport } from '../report/parse-report.ts';
import { against } from './against.ts';
import { calibrate } from './calibration.ts';
import { reportRun } from './report-run.ts';
import { DEFAULT_SIZING } from './sizing.ts';

const NAMES = ['small-buffer', 'scrape-timeout', 'no-stress'] as const;
const runs = NAMES.map((n) =>
  reportRun(parseReport(readFileSync(new URL(`./testdata/${n}.report.json`, import.meta.url), 'utf8'), n), n),
);
const calibration = calibrate(runs);

describe('simulate --against recorded runs', () => {
  for (const run of runs) {
    it(`predicts ${run.label} within the stated tolerances`, () => {
      const r = against(run, DEFAULT_SIZING, calibration);
      for (const c of r.comparisons) {
        if (c.within === null) continue;
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
    assert.match(calibration.statsdDrainPerSecond.source, /small-buffer/);
    assert.ok(calibration.scrapeBytesPerSecond.calibrated);
    assert.ok(!calibration.otelcolBytesPerPoint.calibrated);
  });
});

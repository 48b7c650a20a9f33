/** The pull and OTLP parts of the model, and the whole model's verdict, on small hand-checkable fleets. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { predictedFailures, verdictSentence } from './failures.ts';
import { simulate } from './model.ts';
import { DEFAULT_SIZING, defaultCalibration } from './sizing.ts';

const spec: ExperimentSpec = {
  seed: 1,
  scale: 1,
  maxDurationSeconds: 900,
  fleet: { producers: 1000, producersPerProcess: 50 },
  load: {
    warmupSeconds: 0,
    phases: [
      { name: 'pre-open', durationSeconds: 10, eventsPerSecond: 1000, rampSeconds: 0, symbols: 2 },
      { name: 'open', durationSeconds: 10, eventsPerSecond: 100_000, rampSeconds: 0.8, symbols: 80 },
    ],
  },
  series: { regions: 3, routes: 4, statuses: 3, histogramBuckets: 12 },
  arms: {
    pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 4, sampleLimit: 0, bodySizeLimitBytes: 0 },
    otlp: { protocol: 'grpc', exportIntervalMs: 1000, temporality: 'cumulative' },
  },
  collection: { drainSeconds: 0 },
};
const input = {
  spec,
  producers: 1000,
  startAtMs: 0,
  sizing: DEFAULT_SIZING,
  calibration: defaultCalibration(),
};

describe('pull model', () => {
  const r = simulate(input).pull!;
  it('scrapes every target once per interval, spread by the offset rule', () => {
    const sum = r.scrapesStarted.reduce((a, b) => a + b, 0);
    assert.equal(sum, 1000 * 4);
    // 1,000 targets over 50 bins of an interval: no bin near all of them.
    assert.ok(Math.max(...r.scrapesStarted) < 100, `peak ${Math.max(...r.scrapesStarted)}`);
  });
  it('grows bodies with the symbols and fails scrapes whose duration passes the timeout', () => {
    assert.ok(r.bodyBytesMax > 10 * r.bodyBytesBefore);
    assert.equal(r.timeouts, 0);
    const slow = simulate({
      ...input,
      calibration: {
        ...input.calibration,
        scrapeBytesPerSecond: { value: 1_000_000, source: 'test', calibrated: true },
      },
    }).pull!;
    assert.ok(slow.timeouts > 0);
    assert.ok(
      slow.firstTimeoutMs !== null && slow.firstTimeoutMs >= 10_000,
      'only once the open grows the bodies',
    );
    assert.equal(slow.durationMax, 4, 'a timed-out scrape reads the timeout');
  });
});

describe('OTLP model', () => {
  const r = simulate(input).otlp!;
  it('exports once per producer per interval', () => {
    const sum = r.requests.reduce((a, b) => a + b, 0);
    assert.equal(sum, 1000 * 20);
    assert.equal(r.peakRequestsPerSecond, 1000);
  });
  it('exports every declared counter series each time when cumulative', () => {
    // Before the open: 2 symbols × 36 counters + the histogram series seen so far (≤ 24).
    const early = r.points[50]! / r.requests[50]!;
    assert.ok(early >= 72 && early <= 96, `points per export ${early}`);
  });
});

describe('verdict', () => {
  it('names what fails first and flags predictions that rest on uncalibrated defaults', () => {
    const r = simulate({
      ...input,
      calibration: {
        ...input.calibration,
        scrapeBytesPerSecond: { value: 1_000_000, source: 'test', calibrated: true },
      },
    });
    const failures = predictedFailures(r);
    const sentence = verdictSentence(r, failures, input.calibration);
    assert.match(sentence, /^At 1,000 producers per arm the model says /);
    assert.match(sentence, /uncalibrated defaults/);
    assert.ok(failures.every((f, i) => i === 0 || failures[i - 1]!.atSeconds <= f.atSeconds));
  });
});

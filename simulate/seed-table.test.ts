import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEED_PARAMETERS, SEED_PRINTED_MEAN, seedTable } from './seed-table.ts';

describe("the seed's burst table", () => {
  const t = seedTable();
  it('gives a mean of 840 per 100 ms from its own parameters, whatever the jitter', () => {
    assert.equal(t.expectedMean, 840);
    // The realised mean is the drawn packet counts over 600 bins: within 1% of the expectation.
    assert.ok(Math.abs(t.withJitter.mean / 840 - 1) < 0.01, `mean ${t.withJitter.mean}`);
    assert.equal(t.withJitter.mean, t.withoutJitter.mean, 'jitter moves flushes, it does not add any');
    assert.ok(Math.abs(t.printedMeanRatio - SEED_PRINTED_MEAN / 840) < 1e-9);
  });
  it('puts every producer in one bin per flush without jitter', () => {
    const nonEmpty = [...t.withoutJitter.bins.keys()].filter((i) => t.withoutJitter.bins[i]! > 0);
    assert.deepEqual(nonEmpty, [0, 100, 200, 300, 400, 500]);
    const p = SEED_PARAMETERS;
    assert.ok(
      t.withoutJitter.peak >= p.producers * p.packetsMin &&
        t.withoutJitter.peak <= p.producers * p.packetsMax,
    );
  });
  it('cuts the peak by more than 95% with the producers’ seeded offsets', () => {
    assert.ok(t.peakReduction > 0.95, `reduction ${t.peakReduction}`);
    assert.ok(t.withJitter.peak < 2000);
  });
  it('shows why p99 without jitter is no burst figure: 1% of bins hold the flushes', () => {
    assert.ok(t.withoutJitter.p99 < t.withoutJitter.peak / 50);
  });
});

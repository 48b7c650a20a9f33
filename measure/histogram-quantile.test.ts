import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newLatencyHistogram, observeLatency } from '../loadgen/latency-histogram.ts';
import { histogramQuantileBound } from './histogram-quantile.ts';

function histogram(durations: number[]) {
  const h = newLatencyHistogram();
  for (const d of durations) observeLatency(h, d);
  return h;
}

describe('histogramQuantileBound', () => {
  it('is the upper bound of the bucket holding the observation of rank ceil(q × count)', () => {
    // 10 exports: 5 in (2 ms, 4 ms], 4 in (8 ms, 16 ms], 1 in (1.024 s, 2.048 s].
    const h = histogram([0.003, 0.003, 0.003, 0.003, 0.003, 0.01, 0.01, 0.01, 0.01, 1.5]);
    assert.equal(histogramQuantileBound(h, 0.5), 0.004); // rank 5
    assert.equal(histogramQuantileBound(h, 0.51), 0.016); // rank 6
    assert.equal(histogramQuantileBound(h, 0.9), 0.016); // rank 9
    assert.equal(histogramQuantileBound(h, 0.99), 2.048); // rank 10
    assert.equal(histogramQuantileBound(h, 0), 0.004); // rank 1
  });

  it('is Infinity above the largest bound, and null for no observations', () => {
    assert.equal(histogramQuantileBound(histogram([100]), 0.5), Number.POSITIVE_INFINITY);
    assert.equal(histogramQuantileBound(newLatencyHistogram(), 0.5), null);
  });

  it('refuses a quantile outside 0..1', () => {
    assert.throws(() => histogramQuantileBound(histogram([1]), 1.5), /quantile: 1.5 is not allowed/);
  });
});

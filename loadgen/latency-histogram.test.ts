import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LATENCY_BOUNDS_SECONDS,
  mergeLatencyHistograms,
  newLatencyHistogram,
  observeLatency,
} from './latency-histogram.ts';

describe('latency histogram', () => {
  it('has bounds 1 ms × 2^k up to 65.536 s and one bucket above them', () => {
    assert.equal(LATENCY_BOUNDS_SECONDS[0], 0.001);
    assert.equal(LATENCY_BOUNDS_SECONDS.at(-1), 65.536);
    assert.equal(newLatencyHistogram().counts.length, LATENCY_BOUNDS_SECONDS.length + 1);
  });

  it('puts a duration in the first bucket whose upper bound it does not exceed', () => {
    const h = newLatencyHistogram();
    for (const d of [0, 0.001, 0.0011, 0.002, 0.5, 100, -3]) observeLatency(h, d);
    assert.equal(h.counts[0], 3); // 0, exactly 1 ms, and the negative one as 0
    assert.equal(h.counts[1], 2); // (1 ms, 2 ms]
    assert.equal(h.counts[9], 1); // (256 ms, 512 ms]
    assert.equal(h.counts.at(-1), 1); // above 65.536 s
    assert.equal(h.count, 7);
    assert.equal(h.sumSeconds, 0 + 0.001 + 0.0011 + 0.002 + 0.5 + 100 + 0);
  });

  it('merges by adding bucket counts, counts and sums', () => {
    const a = newLatencyHistogram();
    const b = newLatencyHistogram();
    observeLatency(a, 0.003);
    observeLatency(b, 0.003);
    observeLatency(b, 2);
    const m = mergeLatencyHistograms([a, b]);
    assert.equal(m.counts[2], 2);
    assert.equal(m.counts[11], 1);
    assert.equal(m.count, 3);
    assert.equal(
      m.counts.reduce((x, y) => x + y, 0),
      3,
    );
    assert.equal(a.count, 1, 'the inputs are left alone');
  });

  it('refuses to merge histograms on other bounds, naming both', () => {
    const odd = { ...newLatencyHistogram(), boundsSeconds: [0.01, 0.1] };
    assert.throws(
      () => mergeLatencyHistograms([newLatencyHistogram(), odd]),
      /exportLatencyBuckets.boundsSeconds: \[0.01,0.1\] differs from \[0.001,/,
    );
  });
});

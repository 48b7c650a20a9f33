import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyOrderEvent, nextOrderEvent } from '../loadgen/order-events.ts';
import { createPrng, deriveSeed } from '../loadgen/prng.ts';
import { eventRing } from './event-ring.ts';

const SERIES = { regions: 2, routes: 3, statuses: 3, histogramBuckets: 10 };

test("a producer's ring holds the events its generator would make, as series indexes", () => {
  const ring = eventRing(SERIES, 28, 1, 7, 64);
  const prng = createPrng(deriveSeed(1, 'events', 7));
  const e = emptyOrderEvent();
  for (let i = 0; i < 64; i++) {
    nextOrderEvent(prng, SERIES, 28, e);
    assert.equal(ring.counter[i], ((e.symbol * 2 + e.region) * 3 + e.route) * 3 + e.status);
    assert.equal(ring.histogram[i], (e.symbol * 2 + e.region) * 3 + e.route);
    assert.equal(ring.latencySeconds[i], e.latencySeconds);
  }
});

test('ring indexes stay inside the label tables and timer values are milliseconds', () => {
  const ring = eventRing(SERIES, 28, 3, 0, 4096);
  assert.equal(ring.size, 4096);
  for (let i = 0; i < ring.size; i++) {
    assert.ok(ring.counter[i]! >= 0 && ring.counter[i]! < 28 * 2 * 3 * 3);
    assert.ok(ring.histogram[i]! >= 0 && ring.histogram[i]! < 28 * 2 * 3);
    assert.ok(Math.abs(ring.timerMs[i]! - ring.latencySeconds[i]! * 1000) <= 0.0005 + 1e-9);
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec, StatsdArm } from '../api/v1alpha1/schema.ts';
import { fleetLoad } from './fleet-load.ts';
import { statsdArrivals } from './statsd-arrivals.ts';

const arm = (over: Partial<StatsdArm>): StatsdArm => ({
  mode: 'perEvent',
  maxBufferBytes: 1432,
  flushIntervalMs: 1000,
  flushJitter: false,
  receiveBufferBytes: 212_992,
  ...over,
});
const spec = (statsd: StatsdArm): ExperimentSpec => ({
  seed: 1,
  scale: 1,
  maxDurationSeconds: 900,
  fleet: { producers: 100, producersPerProcess: 10 },
  load: {
    warmupSeconds: 0,
    phases: [{ name: 'steady', durationSeconds: 10, eventsPerSecond: 10_000, rampSeconds: 0, symbols: 5 }],
  },
  series: { regions: 3, routes: 4, statuses: 3, histogramBuckets: 12 },
  arms: { statsd },
  collection: { drainSeconds: 1 },
});
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
const run = (a: StatsdArm, startAtMs = 0) => {
  const s = spec(a);
  return statsdArrivals({ spec: s, arm: a, load: fleetLoad(s, 100), startAtMs, tickMs: 10 });
};

describe('StatsD arrivals', () => {
  it('sends two datagrams per event in perEvent mode, one tick of each process at a time', () => {
    const r = run(arm({}));
    assert.ok(Math.abs(sum(r.datagrams) - 2 * 100_000) < 1e-6);
    // 10 processes spread over the 10 ms tick: one sends every millisecond.
    assert.equal(r.senders[500], 1);
  });
  it('packs lines into far fewer datagrams when buffered', () => {
    const per = sum(run(arm({})).datagrams);
    const buffered = sum(run(arm({ mode: 'buffered' })).datagrams);
    assert.ok(buffered < per / 10, `buffered ${buffered} vs perEvent ${per}`);
  });
  it('puts every aggregated flush on the same wall-clock instant without jitter', () => {
    const r = run(arm({ mode: 'aggregated' }), 250);
    const busy = [...r.datagrams.keys()].filter((i) => r.datagrams[i]! > 0);
    // startAt is 250 ms past a grid instant: the flushes land 750 ms after it, then every second.
    assert.deepEqual(busy, [750, 1750, 2750, 3750, 4750, 5750, 6750, 7750, 8750, 9750, 10750]);
  });
  it('spreads aggregated flushes over the interval with jitter, the same datagrams in all', () => {
    const still = run(arm({ mode: 'aggregated' }));
    const jittered = run(arm({ mode: 'aggregated', flushJitter: true }));
    const peak = (a: Float64Array) => Math.max(...a);
    assert.ok(peak(jittered.datagrams) < peak(still.datagrams) / 10);
    assert.ok(Math.abs(sum(jittered.bytes) / sum(still.bytes) - 1) < 0.1);
  });
});

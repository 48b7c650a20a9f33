import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newProducerLedger, totalLedgers } from './ledger.ts';

describe('ledger totals', () => {
  it('sums counters, takes the max lag and counts rig-limited producers', () => {
    const a = {
      ...newProducerLedger('p0000'),
      eventsGenerated: 10,
      datagramsSent: 20,
      scheduleLagMaxEvents: 3,
    };
    const b = {
      ...newProducerLedger('p0001'),
      eventsGenerated: 5,
      datagramsSent: 7,
      scheduleLagMaxEvents: 9,
      scheduleLagNowEvents: 2,
      rigLimited: true,
    };
    const t = totalLedgers([a, b]);
    assert.equal(t.producers, 2);
    assert.equal(t.eventsGenerated, 15);
    assert.equal(t.datagramsSent, 27);
    assert.equal(t.scheduleLagMaxEvents, 9);
    assert.equal(t.scheduleLagNowEvents, 2);
    assert.equal(t.rigLimitedProducers, 1);
  });

  it('starts every producer at zero', () => {
    const t = totalLedgers([newProducerLedger('p0000')]);
    assert.equal(t.eventsGenerated + t.metricUpdates + t.bytesSent + t.exportsOk, 0);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scaledProducers } from '../api/v1alpha1/derived.ts';
import { fleetPlan, processProducerIds, processRange, producerId } from './fleet.ts';

describe('fleet plan', () => {
  it('scales producers, rounds, and keeps at least one', () => {
    const scaled = (producers: number, scale: number) =>
      scaledProducers({ fleet: { producers, producersPerProcess: 50 }, scale });
    assert.equal(scaled(1400, 1), 1400);
    assert.equal(scaled(1400, 0.01), 14);
    assert.equal(scaled(1400, 0.0025), 4); // 3.5 rounds up
    assert.equal(scaled(10, 0.001), 1);
  });

  it('splits producers into processes, the last one partly filled', () => {
    const plan = fleetPlan({ fleet: { producers: 1400, producersPerProcess: 50 }, scale: 0.1 });
    assert.deepEqual(plan, { producers: 140, producersPerProcess: 50, processes: 3 });
    assert.deepEqual(processRange(plan, 0), { first: 0, end: 50 });
    assert.deepEqual(processRange(plan, 2), { first: 100, end: 140 });
  });

  it('names the allowed process indexes when the index is out of range', () => {
    const plan = fleetPlan({ fleet: { producers: 10, producersPerProcess: 4 }, scale: 1 });
    assert.throws(
      () => processRange(plan, 3),
      /process index: 3 is not allowed; this fleet has 3 process\(es\), indexes 0\.\.2/,
    );
    assert.throws(() => processRange(plan, -1), /process index: -1/);
    assert.throws(() => processRange(plan, 0.5), /process index: 0.5/);
  });

  it('gives producers stable, zero-padded ids', () => {
    assert.equal(producerId(7), 'p0007');
    assert.equal(producerId(12345), 'p12345');
    const plan = fleetPlan({ fleet: { producers: 10, producersPerProcess: 4 }, scale: 1 });
    assert.deepEqual(processProducerIds(plan, 2), ['p0008', 'p0009']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueuePeak } from './queue-peak.ts';

describe('queue peak over the last second', () => {
  it('keeps the highest sample of the window and forgets older ones', () => {
    const q = new QueuePeak(1000);
    q.record(8125, 0, 100);
    q.record(8125, 100, 90_000);
    q.record(8125, 200, 300);
    assert.equal(q.max(8125, 200), 90_000);
    q.record(8125, 1150, 50);
    assert.equal(q.max(8125, 1150), 300);
    assert.equal(q.max(8125, 2500), null);
    assert.equal(q.max(9999, 0), null);
  });
});

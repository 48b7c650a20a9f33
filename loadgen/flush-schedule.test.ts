import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flushOffsetMs, nextFlushAtMs } from './flush-schedule.ts';

describe('aggregated flush schedule', () => {
  it('puts every producer on the same wall-clock instants without jitter', () => {
    const offsets = [0, 1, 2, 3].map((i) => flushOffsetMs(1, i, 1000, false));
    assert.deepEqual(offsets, [0, 0, 0, 0]);
    assert.equal(nextFlushAtMs(1_700_000_000_123, 1000, 0), 1_700_000_001_000);
    assert.equal(nextFlushAtMs(1_700_000_001_000, 1000, 0), 1_700_000_002_000);
  });

  it('spreads producers with seeded offsets inside the interval when jittered', () => {
    const offsets = Array.from({ length: 50 }, (_, i) => flushOffsetMs(1, i, 1000, true));
    assert.ok(offsets.every((o) => o >= 0 && o < 1000 && Number.isInteger(o)));
    assert.ok(new Set(offsets).size > 40, 'offsets should mostly differ');
    assert.deepEqual(
      offsets,
      Array.from({ length: 50 }, (_, i) => flushOffsetMs(1, i, 1000, true)),
    );
  });

  it('schedules the next flush strictly after now on the offset grid', () => {
    assert.equal(nextFlushAtMs(10_250, 1000, 250), 11_250);
    assert.equal(nextFlushAtMs(10_249, 1000, 250), 10_250);
    assert.equal(nextFlushAtMs(0, 1000, 999), 999);
  });
});

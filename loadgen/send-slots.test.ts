import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fleetSlotTotals,
  MAX_SLOT_CAPACITY,
  MIN_SLOT_CAPACITY,
  mergeSlots,
  newSlotRing,
  recordSlot,
  type SlotBook,
  sentSlotsOf,
  slotCapacityFor,
  slotOf,
} from './send-slots.ts';

describe('send slots', () => {
  it('puts an instant in its wall-clock 100 ms slot', () => {
    assert.equal(slotOf(1_800_000_000_000), 18_000_000_000);
    assert.equal(slotOf(1_800_000_000_099), 18_000_000_000);
    assert.equal(slotOf(1_800_000_000_100), 18_000_000_001);
  });

  it('counts per slot and serves the held slots in order', () => {
    const ring = newSlotRing(10);
    for (const slot of [105, 103, 103, 104, 105, 105]) recordSlot(ring, slot);
    assert.deepEqual(sentSlotsOf(ring), {
      slotMs: 100,
      capacity: 10,
      slots: [
        [103, 2],
        [104, 1],
        [105, 3],
      ],
      evicted: 0,
    });
  });

  it('lets an old slot go when a later one takes its cell, and keeps slot sums + evicted = datagrams', () => {
    const ring = newSlotRing(4);
    recordSlot(ring, 1, 5);
    recordSlot(ring, 2, 1);
    recordSlot(ring, 5, 2); // cell of slot 1
    recordSlot(ring, 1); // a late callback for a slot already gone
    const s = sentSlotsOf(ring);
    assert.deepEqual(s.slots, [
      [2, 1],
      [5, 2],
    ]);
    assert.equal(s.evicted, 6);
    assert.equal(s.slots.reduce((n, [, c]) => n + c, 0) + s.evicted, 9);
  });

  it('sizes the ring to the schedule plus a minute, within its bounds', () => {
    assert.equal(slotCapacityFor(0), MIN_SLOT_CAPACITY);
    assert.equal(slotCapacityFor(65), 650 + 600);
    assert.equal(slotCapacityFor(86_400), MAX_SLOT_CAPACITY);
    assert.throws(() => newSlotRing(0), /slot ring capacity: 0 is not allowed/);
  });

  it('merges reads per process (the larger count wins) and sums processes per slot', () => {
    const book: SlotBook = new Map();
    mergeSlots(book, 'statsd/0', [
      [10, 3],
      [11, 1],
    ]);
    // The next poll of process 0: slot 11 grew, slot 10 left its ring but stays in the book.
    mergeSlots(book, 'statsd/0', [
      [11, 4],
      [12, 2],
    ]);
    // Reading the same ledger again changes nothing.
    mergeSlots(book, 'statsd/0', [[11, 4]]);
    mergeSlots(book, 'statsd/1', [
      [11, 6],
      [13, 1],
    ]);
    assert.deepEqual(fleetSlotTotals(book), [
      [10, 3],
      [11, 10],
      [12, 2],
      [13, 1],
    ]);
  });
});

/** finalArmTotals: an arm's totals are the sum of its producers' final ledgers, or unknown. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEDGER_SCHEMA, type LedgerDocument, newProducerLedger, totalLedgers } from '../loadgen/ledger.ts';
import type { SlotBook } from '../loadgen/send-slots.ts';
import { fleetSlotTotals } from '../loadgen/send-slots.ts';
import { finalArmTotals } from './ledgers-at-cut-off.ts';
import { mergePolledSlots, type ProducerProcess } from './producer-fleet.ts';

function producer(arm: ProducerProcess['arm'], index: number): ProducerProcess {
  return { arm, index, name: `${arm}/${index}` } as ProducerProcess;
}

function ledger(arm: ProducerProcess['arm'], index: number, datagramsSent: number): LedgerDocument {
  const p = { ...newProducerLedger(`p${index}`), datagramsSent, eventsGenerated: datagramsSent / 2 };
  return {
    schema: LEDGER_SCHEMA,
    arm,
    armMode: 'perEvent',
    processIndex: index,
    pid: 100 + index,
    startAt: null,
    writtenAt: '2026-11-26T09:15:00.000Z',
    final: true,
    stage: 'done',
    phase: null,
    totals: totalLedgers([p]),
    producers: [p],
  } as LedgerDocument;
}

describe('finalArmTotals', () => {
  it("sums the final ledgers of an arm's processes", () => {
    const fleet = [producer('statsd', 0), producer('statsd', 1)];
    const finals = new Map([
      [fleet[0]!, ledger('statsd', 0, 100)],
      [fleet[1]!, ledger('statsd', 1, 40)],
    ]);
    assert.equal(finalArmTotals(fleet, finals).statsd?.datagramsSent, 140);
  });

  it('is null for an arm with a process that left no final ledger, and leaves the other arms whole', () => {
    const fleet = [producer('pull', 0), producer('pull', 1), producer('statsd', 0)];
    const finals = new Map<ProducerProcess, LedgerDocument | null>([
      [fleet[0]!, ledger('pull', 0, 0)],
      [fleet[1]!, null],
      [fleet[2]!, ledger('statsd', 0, 10)],
    ]);
    const totals = finalArmTotals(fleet, finals);
    assert.equal(totals.pull, null);
    assert.equal(totals.statsd?.datagramsSent, 10);
  });
});

describe('mergePolledSlots', () => {
  it("merges each statsd process's polled slots into the run's book, poll after poll", () => {
    const a = producer('statsd', 0);
    const b = producer('statsd', 1);
    const pull = producer('pull', 0);
    const withSlots = (arm: ProducerProcess['arm'], index: number, slots: Array<[number, number]>) => ({
      ...ledger(arm, index, 0),
      sentPer100ms: { slotMs: 100 as const, capacity: 600, slots, evicted: 0 },
    });
    const book: SlotBook = new Map();
    a.lastLedger = withSlots('statsd', 0, [[50, 2]]);
    b.lastLedger = withSlots('statsd', 1, [[50, 3]]);
    pull.lastLedger = null;
    mergePolledSlots(book, [a, b, pull]);
    // Next poll: process 0's slot 50 grew and a new slot appeared; process 1 did not answer (same ledger).
    a.lastLedger = withSlots('statsd', 0, [
      [50, 4],
      [51, 1],
    ]);
    mergePolledSlots(book, [a, b, pull]);
    assert.deepEqual(fleetSlotTotals(book), [
      [50, 7],
      [51, 1],
    ]);
  });
});

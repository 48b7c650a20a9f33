import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newProducerLedger, totalLedgers } from './ledger.ts';
import { newTotalsHistory } from './ledger-history.ts';

const totals = (events: number) => ({ ...totalLedgers([newProducerLedger('p')]), eventsGenerated: events });

test('one snapshot per wall-clock second, the last of a second wins, bounded to its capacity', () => {
  const h = newTotalsHistory(2);
  h.record(10_000, totals(1));
  h.record(10_900, totals(2));
  h.record(11_000, totals(3));
  h.record(12_500, totals(4));
  assert.deepEqual(
    h.snapshot().map(([t, v]) => [t, v.eventsGenerated]),
    [
      [11, 3],
      [12, 4],
    ],
  );
});

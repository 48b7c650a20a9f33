import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEDGER_SCHEMA, type LedgerDocument, newProducerLedger, totalLedgers } from '../loadgen/ledger.ts';
import { fleetLedgerSeries } from './ledger-series.ts';

const totals = (eventsGenerated: number) => ({ ...totalLedgers([newProducerLedger('p')]), eventsGenerated });
const doc = (history: Array<[number, number]>): LedgerDocument =>
  ({
    schema: LEDGER_SCHEMA,
    totals: totals(0),
    totalsPerSecond: history.map(([t, e]) => [t, totals(e)]),
  }) as unknown as LedgerDocument;

test('adds the processes up per second, only for seconds every process recorded', () => {
  const series = fleetLedgerSeries([
    {
      name: 'statsd/0',
      arm: 'statsd',
      doc: doc([
        [100, 1],
        [101, 5],
        [102, 9],
      ]),
    },
    {
      name: 'statsd/1',
      arm: 'statsd',
      doc: doc([
        [101, 2],
        [102, 4],
      ]),
    },
  ]);
  assert.deepEqual(
    series.statsd?.map(([t, v]) => [t, v.eventsGenerated]),
    [
      [101, 7],
      [102, 13],
    ],
  );
});

test('an arm with an unread ledger has no series rather than a partial one', () => {
  const series = fleetLedgerSeries([
    { name: 'pull/0', arm: 'pull', doc: doc([[100, 1]]) },
    { name: 'pull/1', arm: 'pull', doc: null },
  ]);
  assert.equal(series.pull, undefined);
});

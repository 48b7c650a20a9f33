import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newLatencyHistogram, observeLatency } from '../loadgen/latency-histogram.ts';
import { LEDGER_SCHEMA, type LedgerDocument, newProducerLedger, totalLedgers } from '../loadgen/ledger.ts';
import type { SlotBook } from '../loadgen/send-slots.ts';
import { fleetLedgerBooks, type ProcessLedger } from './ledger-books.ts';

function doc(arm: 'statsd' | 'otlp', patch: Partial<LedgerDocument>): LedgerDocument {
  const p = newProducerLedger('p0000');
  return {
    schema: LEDGER_SCHEMA,
    arm,
    armMode: 'x',
    processIndex: 0,
    pid: 1,
    startAt: null,
    writtenAt: '2026-11-26T09:15:00.000Z',
    final: true,
    stage: 'done',
    phase: null,
    totals: totalLedgers([p]),
    exportLatencyBuckets: null,
    exportRetries: null,
    sentPer100ms: null,
    producers: [p],
    ...patch,
  };
}

function timed(...durations: number[]) {
  const h = newLatencyHistogram();
  for (const d of durations) observeLatency(h, d);
  return h;
}

const slots = (pairs: Array<[number, number]>) => ({
  slotMs: 100 as const,
  capacity: 600,
  slots: pairs,
  evicted: 0,
});

describe('fleetLedgerBooks', () => {
  it("adds up the otlp processes' histograms and retries", () => {
    const books = fleetLedgerBooks([
      {
        name: 'otlp/0',
        arm: 'otlp',
        doc: doc('otlp', { exportLatencyBuckets: timed(0.003), exportRetries: 1 }),
      },
      {
        name: 'otlp/1',
        arm: 'otlp',
        doc: doc('otlp', { exportLatencyBuckets: timed(0.003, 0.5), exportRetries: 2 }),
      },
    ]);
    assert.equal(books.otlpExportLatency?.value?.count, 3);
    assert.equal(books.otlpExportLatency?.value?.counts[2], 2);
    assert.equal(books.otlpExportRetries?.value, 3);
    assert.equal(books.statsdSentPer100ms, undefined);
  });

  it('leaves otlp readings missing, naming the process, when a ledger or its field is missing', () => {
    const books = fleetLedgerBooks([
      {
        name: 'otlp/0',
        arm: 'otlp',
        doc: doc('otlp', { exportLatencyBuckets: timed(0.003), exportRetries: 0 }),
      },
      { name: 'otlp/1', arm: 'otlp', doc: null },
    ]);
    assert.equal(books.otlpExportLatency?.value, null);
    assert.match((books.otlpExportLatency as { missing: string }).missing, /producer otlp\/1 left no ledger/);
    const uncounted = fleetLedgerBooks([
      {
        name: 'otlp/0',
        arm: 'otlp',
        doc: doc('otlp', { exportLatencyBuckets: timed(0.003), exportRetries: null }),
      },
    ]);
    assert.equal(uncounted.otlpExportLatency?.value?.count, 1);
    assert.match(
      (uncounted.otlpExportRetries as { missing: string }).missing,
      /producer otlp\/0: the exporter's transport was not found .*otlp-export-delegate.js/,
    );
    const older = { ...doc('otlp', {}) } as Partial<LedgerDocument>;
    delete older.exportLatencyBuckets;
    const old = fleetLedgerBooks([{ name: 'otlp/0', arm: 'otlp', doc: older as LedgerDocument }]);
    assert.match((old.otlpExportLatency as { missing: string }).missing, /has no exportLatencyBuckets/);
  });

  it('sums send slots over statsd processes, on top of what earlier polls put in the book', () => {
    const book: SlotBook = new Map([['statsd/1', new Map([[9, 4]])]]);
    const processes: ProcessLedger[] = [
      { name: 'statsd/0', arm: 'statsd', doc: doc('statsd', { sentPer100ms: slots([[10, 5]]) }) },
      // No final ledger: the slots its polls left in the book still count.
      { name: 'statsd/1', arm: 'statsd', doc: null },
      { name: 'statsd/2', arm: 'statsd', doc: doc('statsd', { sentPer100ms: slots([[10, 2]]) }) },
    ];
    const books = fleetLedgerBooks(processes, book);
    assert.deepEqual(books.statsdSentPer100ms?.value, [
      [9, 4],
      [10, 7],
    ]);
    assert.equal(
      books.statsdSentPer100ms?.source,
      'producer ledgers: datagrams sent per wall-clock 100 ms slot, summed over the fleet',
    );
    assert.equal(books.otlpExportLatency, undefined);
  });

  it('says so when no statsd ledger with slots was read', () => {
    const books = fleetLedgerBooks([{ name: 'statsd/0', arm: 'statsd', doc: null }]);
    assert.equal(books.statsdSentPer100ms?.value, null);
  });
});

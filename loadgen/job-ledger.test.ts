import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newJobLedger, parseJobLedger } from './job-ledger.ts';

const fresh = () =>
  newJobLedger({
    batch: 'cron',
    path: 'statsd',
    index: 3,
    jobName: 'cron',
    instance: 'cron-3',
    startedAt: '2026-12-01T09:15:00Z',
  });

test('a ledger survives its round trip through text (a file or a termination message)', () => {
  const l = { ...fresh(), eventsGenerated: 100, datagramsSent: 2 };
  assert.deepEqual(parseJobLedger(JSON.stringify(l), 'here'), l);
});

test('a text that is no ledger is refused, naming where it came from and why', () => {
  assert.throws(() => parseJobLedger('{', 'pod p'), /^Error: pod p: not JSON/);
  assert.throws(
    () => parseJobLedger(JSON.stringify({ schema: 'x' }), 'pod p'),
    /pod p: schema "x" is not pushpull.dev\/job-ledger\/v1/,
  );
  assert.throws(
    () => parseJobLedger(JSON.stringify({ ...fresh(), eventsGenerated: 'many' }), 'pod p'),
    /batch, index and eventsGenerated are required/,
  );
});

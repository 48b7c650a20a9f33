import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newProducerLedger, totalLedgers } from '../loadgen/ledger.ts';
import type { Timeline } from '../schedule/timeline.ts';
import { formatProgress } from './progress.ts';

const timeline: Timeline = {
  startAtMs: 10_000,
  phases: [
    { index: 0, name: 'pre-open', startMs: 10_000, rampEndMs: 10_000, endMs: 20_000, symbols: 1 },
    { index: 1, name: 'open', startMs: 20_000, rampEndMs: 20_800, endMs: 30_000, symbols: 5 },
  ],
  loadEndMs: 30_000,
  drainEndMs: 35_000,
};
const totals = (events: number) => ({
  ...totalLedgers([newProducerLedger('p0000')]),
  eventsGenerated: events,
});

test('progress names the phase, each arm rate, targets up and kernel drops', () => {
  const line = formatProgress({
    nowMs: 21_000,
    timeline,
    drainSeconds: 5,
    series: {
      pull: [
        [20, totals(100)],
        [21, totals(1100)],
      ],
    },
    targets: { up: 13, total: 14 },
    kernelDrops: 1234,
  });
  assert.equal(line, 't+11s phase open · pull 1,000 ev/s · targets up 13/14 · kernel UDP drops 1,234');
});

test('before the start it counts down, and an arm without two polls shows a dash', () => {
  const line = formatProgress({
    nowMs: 7_000,
    timeline,
    drainSeconds: 5,
    series: { statsd: [[7, totals(0)]] },
    targets: null,
    kernelDrops: null,
  });
  assert.equal(line, 'waiting 3s for startAt · statsd — ev/s');
});

/** The network faults on the wall clock, by fault (the cluster runtime): their instants, which are due, and the next one. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { experimentFromFile } from '../operator/testing/fixtures.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import { dueNetworkFaults, nextNetworkFaultAtMs, planNetworkFaults } from './network-faults.ts';

const x = experimentFromFile(
  join(import.meta.dirname, '../operator/render/testdata/inputs/network-faults.yaml'),
);
const START = Date.parse('2026-12-01T09:30:00Z');
const planned = planNetworkFaults(x.spec, buildTimeline(START, x.spec));

test('each fault starts at its phase start plus its offset and heals after its duration, in time order', () => {
  // pre-open 0–20 s, open 20–60 s after startAt.
  assert.deepEqual(
    planned.map((p) => [p.index, (p.atMs - START) / 1000, (p.healMs - START) / 1000]),
    [
      [3, 0, 5.5],
      [5, 2, 3],
      [2, 22, 42],
      [0, 25, 35],
      [1, 30, 36],
      [4, 40, 44],
    ],
  );
});

test('due: reached and not handled; next: the first not handled', () => {
  assert.deepEqual(
    dueNetworkFaults(planned, new Set([3]), START + 22_000).map((p) => p.index),
    [5, 2],
  );
  assert.equal(nextNetworkFaultAtMs(planned, new Set([3, 5])), START + 22_000);
  assert.equal(nextNetworkFaultAtMs(planned, new Set([0, 1, 2, 3, 4, 5])), null);
});

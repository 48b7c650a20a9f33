import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import { dueNetworkEdges, edgeKey, nextNetworkEdgeAtMs, planNetworkFaults } from './network-faults.ts';

const T0 = Date.parse('2026-12-01T09:15:00Z');
const spec = {
  scale: 1,
  fleet: { producers: 4, producersPerProcess: 4 },
  load: {
    warmupSeconds: 0,
    phases: [
      { name: 'pre-open', durationSeconds: 10, eventsPerSecond: 10, rampSeconds: 0, symbols: 1 },
      { name: 'open', durationSeconds: 20, eventsPerSecond: 100, rampSeconds: 0, symbols: 1 },
    ],
  },
  collection: { drainSeconds: 2 },
  networkFaults: [
    {
      kind: 'partition',
      arm: 'otlp',
      direction: 'both',
      phase: 'open',
      offsetSeconds: 2,
      durationSeconds: 15,
    },
    {
      kind: 'loss',
      arm: 'statsd',
      direction: 'to-collector',
      phase: 'pre-open',
      offsetSeconds: 1,
      durationSeconds: 5,
      lossShare: 0.3,
    },
  ],
} as unknown as ExperimentSpec;
const timeline = buildTimeline(T0, spec);

describe('planNetworkFaults', () => {
  it('puts each fault at its phase start plus offset, healing after its duration, in time order', () => {
    const planned = planNetworkFaults(spec, timeline);
    assert.deepEqual(
      planned.map((p) => [p.index, p.atMs - T0, p.healMs - T0]),
      [
        [1, 1000, 6000],
        [0, 12_000, 27_000],
      ],
    );
  });

  it('gives the edges due now, a heal only after its start, and every heal at the cut-off', () => {
    const planned = planNetworkFaults(spec, timeline);
    const done = new Set<string>();
    assert.deepEqual(dueNetworkEdges(planned, done, T0 + 500), []);
    assert.equal(nextNetworkEdgeAtMs(planned, done), T0 + 1000);
    const first = dueNetworkEdges(planned, done, T0 + 1000);
    assert.deepEqual(
      first.map((e) => [e.index, e.edge]),
      [[1, 'start']],
    );
    done.add(edgeKey(first[0]!));
    // Late by a lot: the start of fault 0 is due and so is the heal of 1, but not 0's heal before its start.
    assert.deepEqual(
      dueNetworkEdges(planned, done, T0 + 30_000).map((e) => [e.index, e.edge]),
      [
        [1, 'heal'],
        [0, 'start'],
      ],
    );
    done.add(edgeKey({ index: 0, edge: 'start' }));
    assert.deepEqual(
      dueNetworkEdges(planned, done, T0 + 13_000, true).map((e) => [e.index, e.edge]),
      [
        [1, 'heal'],
        [0, 'heal'],
      ],
    );
  });

  it('names a phase that is not in the load', () => {
    const bad = {
      ...spec,
      networkFaults: [{ ...spec.networkFaults![0]!, phase: 'close' }],
    } as ExperimentSpec;
    assert.throws(
      () => planNetworkFaults(bad, timeline),
      /spec\.networkFaults\[0\]\.phase: "close" is not a phase/,
    );
  });
});

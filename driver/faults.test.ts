import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import { dueFaults, nextFaultAtMs, planFaults } from './faults.ts';

const T0 = Date.parse('2026-12-01T09:15:00Z');
const spec = {
  scale: 1,
  fleet: { producers: 10, producersPerProcess: 4 },
  load: {
    warmupSeconds: 0,
    phases: [
      { name: 'pre-open', durationSeconds: 10, eventsPerSecond: 10, rampSeconds: 0, symbols: 1 },
      { name: 'open', durationSeconds: 20, eventsPerSecond: 100, rampSeconds: 0, symbols: 1 },
    ],
  },
  collection: { drainSeconds: 2 },
  faults: [
    { kind: 'hang', arm: 'pull', phase: 'open', offsetSeconds: 5, share: 0.5, durationSeconds: 3 },
    { kind: 'kill', arm: 'statsd', phase: 'pre-open', offsetSeconds: 2, producers: 1 },
  ],
} as unknown as ExperimentSpec;
const timeline = buildTimeline(T0, spec);

describe('planFaults', () => {
  it('puts each fault at its phase start plus offset, in time order', () => {
    const planned = planFaults(spec, timeline);
    assert.deepEqual(
      planned.map((f) => [f.index, f.kind, f.atMs - T0, f.untilMs === null ? null : f.untilMs - T0]),
      [
        [1, 'kill', 2000, null],
        [0, 'hang', 15_000, 18_000],
      ],
    );
  });

  it('takes whole processes from the end of the arm, enough for the count or share', () => {
    const [kill, hang] = planFaults(spec, timeline);
    // 10 producers, 4 per process: processes 0..2 host p0000-p0003, p0004-p0007, p0008-p0009.
    assert.deepEqual(kill!.processes, [2]);
    assert.deepEqual(kill!.producers, ['p0008', 'p0009']);
    assert.deepEqual(hang!.processes, [1, 2]);
    assert.equal(hang!.producers.length, 6);
  });

  it('gives faults of one arm different processes, and says when there are not enough', () => {
    const two = {
      ...spec,
      faults: [
        { kind: 'kill', arm: 'pull', phase: 'open', offsetSeconds: 0, producers: 1 },
        { kind: 'hang', arm: 'pull', phase: 'open', offsetSeconds: 0, producers: 4 },
      ],
    } as unknown as ExperimentSpec;
    assert.deepEqual(
      planFaults(two, timeline).map((f) => f.processes),
      [[2], [1]],
    );
    const many = {
      ...two,
      faults: [...(two.faults ?? []), { ...two.faults![1]!, producers: 8 }],
    } as ExperimentSpec;
    assert.throws(
      () => planFaults(many, timeline),
      /spec\.faults\[2\]: needs 2 pull producer process\(es\), but only 1/,
    );
  });
});

describe('dueFaults', () => {
  it('returns what is due and not applied, and when the next one is', () => {
    const planned = planFaults(spec, timeline);
    assert.deepEqual(dueFaults(planned, new Set(), T0 + 1000), []);
    assert.deepEqual(
      dueFaults(planned, new Set(), T0 + 2000).map((f) => f.index),
      [1],
    );
    assert.equal(nextFaultAtMs(planned, new Set([1])), T0 + 15_000);
    assert.equal(nextFaultAtMs(planned, new Set([0, 1])), null);
  });
});

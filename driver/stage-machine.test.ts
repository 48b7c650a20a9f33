import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTimeline } from '../schedule/timeline.ts';
import { type DriverFacts, decide, INITIAL_FACTS, outcomeOf, pullWindowEndMs } from './stage-machine.ts';

const spec = {
  load: {
    warmupSeconds: 5,
    phases: [
      { name: 'pre-open', durationSeconds: 10, eventsPerSecond: 100 },
      { name: 'open', durationSeconds: 20, eventsPerSecond: 1000 },
    ],
  },
  collection: { drainSeconds: 5 },
} as unknown as Parameters<typeof buildTimeline>[1];
const T0 = Date.parse('2026-12-01T09:15:00Z');
const timeline = buildTimeline(T0, spec);
const running: DriverFacts = {
  ...INITIAL_FACTS,
  collectorsUp: true,
  fleetUp: true,
  targetsUp: true,
  timeline,
  armed: true,
};

describe('decide', () => {
  it('walks the start-up stages in order as each is observed', () => {
    const seen = [
      decide(INITIAL_FACTS, T0).stage,
      decide({ ...INITIAL_FACTS, collectorsUp: true }, T0).stage,
      decide({ ...INITIAL_FACTS, collectorsUp: true, fleetUp: true }, T0).stage,
      decide({ ...INITIAL_FACTS, collectorsUp: true, fleetUp: true, targetsUp: true }, T0).stage,
    ];
    assert.deepEqual(seen, ['collectors', 'fleet', 'targets-up', 'arm']);
  });

  it('waits for startAt, then names each phase and wakes at its edge', () => {
    assert.deepEqual(decide(running, T0 - 3000), { stage: 'load', wakeAtMs: T0 });
    assert.deepEqual(decide(running, T0 + 1000), { stage: 'load', phase: 'pre-open', wakeAtMs: T0 + 10_000 });
    assert.deepEqual(decide(running, T0 + 10_000), { stage: 'load', phase: 'open', wakeAtMs: T0 + 30_000 });
  });

  it('drains after the load and cuts off at the end of the drain', () => {
    assert.deepEqual(decide(running, T0 + 31_000), { stage: 'drain', wakeAtMs: T0 + 35_000 });
    assert.equal(decide(running, T0 + 35_000).stage, 'cut-off');
  });

  it('a stop at any stage goes to the cut-off, so what was measured is still collected', () => {
    const stop = { outcome: 'interrupted' as const, reason: 'SIGTERM received', atMs: T0 };
    assert.equal(decide({ ...INITIAL_FACTS, collectorsUp: true, stop }, T0).stage, 'cut-off');
    assert.equal(decide({ ...running, stop }, T0 + 12_000).stage, 'cut-off');
    assert.equal(decide({ ...running, stop, cutOffAtMs: T0 + 12_500 }, T0 + 13_000).stage, 'collect');
    assert.equal(outcomeOf({ ...running, stop }), 'interrupted');
  });

  it('is done once collected', () => {
    assert.equal(decide({ ...running, cutOffAtMs: T0 + 35_000, collected: true }, T0 + 40_000).stage, 'done');
    assert.equal(outcomeOf(running), 'completed');
  });
});

describe('pullWindowEndMs', () => {
  it('ends the pull window one scrape timeout before the cut-off', () => {
    assert.equal(pullWindowEndMs(T0, 4), T0 - 4000);
    assert.equal(pullWindowEndMs(T0, undefined), T0);
  });
});

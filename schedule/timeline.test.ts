import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import {
  buildTimeline,
  type Clock,
  joinSecondsAt,
  parseStartAt,
  resolveStartAt,
  systemClock,
  timelineStateAt,
} from './timeline.ts';

type TimelineSpec = Pick<ExperimentSpec, 'load' | 'collection'>;

const spec: TimelineSpec = {
  load: {
    warmupSeconds: 10,
    phases: [
      { name: 'pre-open', durationSeconds: 30, eventsPerSecond: 4000, rampSeconds: 0, symbols: 2 },
      { name: 'open', durationSeconds: 60, eventsPerSecond: 380_000, rampSeconds: 0.8, symbols: 80 },
    ],
  },
  collection: { drainSeconds: 5 },
};

/** A clock the test moves by hand. */
function manualClock(startMs: number): Clock & { set(ms: number): void } {
  let now = startMs;
  return { now: () => now, set: (ms) => (now = ms) };
}

const START = Date.parse('2026-11-26T09:15:00Z');

describe('timeline', () => {
  it('lays phases, load end and drain end on the wall clock', () => {
    const tl = buildTimeline(START, spec);
    assert.equal(tl.phases[0]?.startMs, START);
    assert.equal(tl.phases[1]?.startMs, START + 30_000);
    assert.equal(tl.phases[1]?.rampEndMs, START + 30_800);
    assert.equal(tl.loadEndMs, START + 90_000);
    assert.equal(tl.drainEndMs, START + 95_000);
  });

  it('walks through waiting, each phase, draining and done as the clock moves', () => {
    const tl = buildTimeline(START, spec);
    const clock = manualClock(START - 2500);
    assert.deepEqual(timelineStateAt(tl, clock.now()), { stage: 'waiting', msUntilStart: 2500 });
    clock.set(START);
    let s = timelineStateAt(tl, clock.now());
    assert.equal(s.stage === 'load' && s.phase.name, 'pre-open');
    clock.set(START + 29_999);
    s = timelineStateAt(tl, clock.now());
    assert.equal(s.stage === 'load' && s.phase.name, 'pre-open');
    clock.set(START + 30_000);
    s = timelineStateAt(tl, clock.now());
    assert.equal(s.stage === 'load' && s.phase.name, 'open');
    assert.equal(s.stage === 'load' && s.secondsSinceStart, 30);
    clock.set(START + 90_000);
    assert.deepEqual(timelineStateAt(tl, clock.now()), { stage: 'draining', msUntilDrainEnd: 5000 });
    clock.set(START + 96_000);
    assert.deepEqual(timelineStateAt(tl, clock.now()), { stage: 'done', msSinceDrainEnd: 1000 });
  });

  it('joins mid-schedule when startAt is in the past, and at zero when it is ahead', () => {
    const tl = buildTimeline(START, spec);
    assert.equal(joinSecondsAt(tl, START + 42_500), 42.5);
    assert.equal(joinSecondsAt(tl, START - 60_000), 0);
  });

  it('takes startAt from the spec, else warm-up after ready', () => {
    assert.equal(resolveStartAt(spec, 1_000), 11_000);
    const fixed = { load: { ...spec.load, startAt: '2026-11-26T09:15:00Z' } };
    assert.equal(resolveStartAt(fixed, 1_000), START);
  });

  it('names the field and the expected form for a bad instant', () => {
    assert.throws(
      () => parseStartAt('tomorrow', '--start-at'),
      /--start-at: "tomorrow" is not an instant; expected RFC 3339/,
    );
    assert.equal(parseStartAt('2026-11-26T10:15:00+01:00'), START);
  });

  it('has a system clock that reads the wall clock', () => {
    const before = Date.now();
    const t = systemClock.now();
    assert.ok(t >= before && t <= Date.now());
  });
});

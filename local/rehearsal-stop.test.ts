/** describeEarlyStop: the run.missing line of a partial report, from a timeline and the stop instant. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTimeline } from '../schedule/timeline.ts';
import { describeEarlyStop } from './rehearsal-stop.ts';

const T0 = Date.parse('2026-11-26T09:15:00.000Z');
const timeline = buildTimeline(T0, {
  load: {
    warmupSeconds: 0,
    phases: [
      { name: 'pre-open', durationSeconds: 20, eventsPerSecond: 40, rampSeconds: 0, symbols: 2 },
      { name: 'open', durationSeconds: 30, eventsPerSecond: 3800, rampSeconds: 0.8, symbols: 28 },
      { name: 'settle', durationSeconds: 10, eventsPerSecond: 400, rampSeconds: 0, symbols: 28 },
    ],
  },
  collection: { drainSeconds: 5 },
});

describe('describeEarlyStop', () => {
  it('names the phase the stop fell in, the phases that never ran and the seconds of load lost', () => {
    assert.equal(
      describeEarlyStop(timeline, T0 + 23_500, 'SIGINT received'),
      'the run stopped early at 2026-11-26T09:15:23.500Z (SIGINT received), 3.5 s into phase open: 36.5 s of the 60 s of load did not run (the rest of phase open, phase settle and the drain); nothing after that was measured',
    );
  });

  it('says no load ran when the stop came during the warm-up', () => {
    assert.match(
      describeEarlyStop(timeline, T0 - 2000, 'collector otelcol exited with code 1'),
      /\(collector otelcol exited with code 1\), 2 s before the load was due: none of the 60 s of load ran/,
    );
  });

  it('says only the drain was cut short when the load had ended', () => {
    assert.match(
      describeEarlyStop(timeline, T0 + 62_000, 'SIGTERM received'),
      /during the drain: its last 3 s of 5 s did not run, so data still in flight may be missing/,
    );
  });

  it('names several unrun phases in order', () => {
    assert.match(
      describeEarlyStop(timeline, T0 + 1000, 'x'),
      /\(the rest of phase pre-open, phases open, settle and the drain\)/,
    );
  });
});

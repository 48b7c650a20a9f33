import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BatchTimerOptions, type TimedLayer, timeBatches } from './batch-timer.ts';

/** A clock that layers advance by hand: each batch "takes" its layer's cost per event times its events. */
function fakeClock() {
  let ns = 0n;
  return {
    now: () => ns,
    advance: (by: number) => {
      ns += BigInt(by);
    },
  };
}

function layer(
  name: string,
  nsPerEvent: number,
  events: number,
  clock: ReturnType<typeof fakeClock>,
  calls: string[],
): TimedLayer {
  return {
    name,
    runBatch() {
      calls.push(name);
      clock.advance(nsPerEvent * events);
      return events;
    },
  };
}

function options(
  clock: ReturnType<typeof fakeClock>,
  over: Partial<BatchTimerOptions> = {},
): BatchTimerOptions {
  return {
    warmupRounds: 2,
    maxRounds: 5,
    maxMs: 1e9,
    maxWarmupMs: 1e9,
    now: clock.now,
    pause: async () => {},
    ...over,
  };
}

test('each sample is one batch timed as a whole and divided by its events', async () => {
  const clock = fakeClock();
  const calls: string[] = [];
  const { samples, onCpuShare } = await timeBatches(
    [layer('baseline', 2, 1000, clock, calls), layer('rig', 500, 1000, clock, calls)],
    options(clock),
  );
  assert.equal(onCpuShare, null);
  assert.deepEqual(samples.baseline, [2, 2, 2, 2, 2]);
  assert.deepEqual(samples.rig, [500, 500, 500, 500, 500]);
  assert.equal(calls.length, 2 * (2 + 5), 'warm-up rounds run but are not kept');
});

test('layers are interleaved in a rotating order, round by round', async () => {
  const clock = fakeClock();
  const calls: string[] = [];
  await timeBatches(
    ['a', 'b', 'c'].map((n) => layer(n, 1, 10, clock, calls)),
    options(clock, { warmupRounds: 0, maxRounds: 3 }),
  );
  assert.deepEqual(calls, ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
});

test('the time budget stops measuring between rounds, after at least one round', async () => {
  const clock = fakeClock();
  const calls: string[] = [];
  // Every batch takes 1 ms of fake time; the budget is 2.5 ms for a round of 2 batches.
  const { samples } = await timeBatches(
    [layer('a', 1000, 1000, clock, calls), layer('b', 1000, 1000, clock, calls)],
    options(clock, { warmupRounds: 0, maxRounds: 1000, maxMs: 2.5 }),
  );
  assert.equal(samples.a!.length, 2);
  const tiny = await timeBatches(
    [layer('a', 1e9, 1, clock, [])],
    options(clock, { warmupRounds: 0, maxMs: 0 }),
  );
  assert.equal(tiny.samples.a!.length, 1);
});

test('the warm-up has its own time bound', async () => {
  const clock = fakeClock();
  const calls: string[] = [];
  await timeBatches(
    [layer('a', 1000, 1000, clock, calls)],
    options(clock, { warmupRounds: 1000, maxWarmupMs: 3, maxRounds: 1 }),
  );
  assert.equal(calls.length, 3 + 1);
});

test('the on-CPU share is the thread CPU time over the wall time of the measured batches', async () => {
  const clock = fakeClock();
  // The thread is on the CPU for 3/4 of each batch: the CPU clock advances 750 ns per 1,000 ns of wall time.
  let cpuUs = 0;
  const preempted: TimedLayer = {
    name: 'a',
    runBatch() {
      clock.advance(1_000_000);
      cpuUs += 750;
      return 100;
    },
  };
  const { onCpuShare } = await timeBatches([preempted], options(clock, { cpuNow: () => cpuUs }));
  assert.equal(onCpuShare, 0.75);
});

test('a batch that records nothing is an error, not a division by zero', async () => {
  const clock = fakeClock();
  await assert.rejects(
    timeBatches([{ name: 'empty', runBatch: () => 0 }], options(clock)),
    /layer empty recorded no events/,
  );
});

/**
 * Times per-event cost in batches. Reading a clock around every single event would measure mostly the
 * clock (process.hrtime.bigint costs tens of nanoseconds, as much as a counter add), so each sample is one
 * batch of events timed as a whole and divided by its event count; a "p99" is then the p99 over batch
 * means, not over single events. The layers being compared (baseline, library, rig) are interleaved batch
 * by batch, in a rotating order, so that load from the rest of the machine falls on all of them alike.
 * Between batches the loop yields to the event loop (untimed), so socket callbacks, flush timers and
 * exports run as they would in a producer. Bounded by a batch count and a time budget. Around each batch the
 * thread's CPU time is read too (outside the timed window): CPU over wall time tells whether the figures
 * include time the thread spent preempted by other processes. The clocks and the pause are injected: the
 * unit test drives it without sleeping. Called by bench/per-event.ts.
 */

/** One thing being timed. */
export interface TimedLayer {
  name: string;
  /** Records one batch of events synchronously; returns how many events it recorded (> 0). */
  runBatch(): number;
}

/** Bounds and tools of one timing run. */
export interface BatchTimerOptions {
  /** Rounds before measuring (each layer runs one batch per round); their samples are dropped. */
  warmupRounds: number;
  /** Measured rounds at most. */
  maxRounds: number;
  /** Stop after this many milliseconds of measuring (checked between rounds), warm-up excluded. */
  maxMs: number;
  /** Also stop the warm-up after this many milliseconds. */
  maxWarmupMs: number;
  /** Monotonic clock in nanoseconds. */
  now(): bigint;
  /** This thread's CPU time in microseconds (process.threadCpuUsage), if known. */
  cpuNow?(): number;
  /** Lets the event loop run between batches. */
  pause(): Promise<void>;
}

/** Per layer: nanoseconds per event, one sample per measured batch. */
export type BatchSamples = Record<string, number[]>;

/** What a timing run measured. */
export interface BatchTiming {
  samples: BatchSamples;
  /** Thread CPU time over wall time of the measured batches (1: never preempted); null without cpuNow. */
  onCpuShare: number | null;
}

/** Runs the layers batch by batch and returns their samples (nanoseconds per event). */
export async function timeBatches(
  layers: readonly TimedLayer[],
  opts: BatchTimerOptions,
): Promise<BatchTiming> {
  const samples: BatchSamples = {};
  for (const l of layers) samples[l.name] = [];
  let wallNs = 0;
  let cpuNs = 0;
  const runRound = async (round: number, keep: boolean) => {
    for (let k = 0; k < layers.length; k++) {
      const layer = layers[(round + k) % layers.length]!;
      const c0 = opts.cpuNow?.() ?? 0;
      const t0 = opts.now();
      const events = layer.runBatch();
      const t1 = opts.now();
      const c1 = opts.cpuNow?.() ?? 0;
      if (!(events > 0)) throw new RangeError(`bench: layer ${layer.name} recorded no events in a batch`);
      if (keep) {
        samples[layer.name]!.push(Number(t1 - t0) / events);
        wallNs += Number(t1 - t0);
        cpuNs += (c1 - c0) * 1000;
      }
      await opts.pause();
    }
  };
  const ms = (from: bigint) => Number(opts.now() - from) / 1e6;
  const warmStart = opts.now();
  for (let r = 0; r < opts.warmupRounds && ms(warmStart) < opts.maxWarmupMs; r++) await runRound(r, false);
  const start = opts.now();
  for (let r = 0; r < opts.maxRounds && (r === 0 || ms(start) < opts.maxMs); r++) await runRound(r, true);
  // The CPU clock ticks coarser than the wall clock; a share a little above 1 is rounding, not time travel.
  return { samples, onCpuShare: opts.cpuNow && wallNs > 0 ? Math.min(1, cpuNs / wallNs) : null };
}

/**
 * The seed article's burst experiment, rerun with the producers' real flush schedule: 1,400 producers
 * flushing every 10 s, 40–80 datagrams per flush, with every producer on the same instant (no jitter) or
 * at its seeded offset (jitter), counted per 100 ms over a 60 s window. Offsets come from
 * loadgen/flush-schedule.ts, the function the producers themselves call; packet counts from the rig's
 * seeded PRNG. The expected mean needs no simulation: every flush lands somewhere in the window, so it is
 * producers × mean packets × flushes per window / bins, whatever the jitter. `pushpull simulate
 * --seed-table` prints this; docs/simulate.md states the figures.
 */
import { flushOffsetMs, nextFlushAtMs } from '../loadgen/flush-schedule.ts';
import { createPrng, deriveSeed } from '../loadgen/prng.ts';
import { BIN_MS, type BinStats, binStats } from './bins.ts';

/** The seed's parameters. */
export interface SeedTableInput {
  producers: number;
  flushIntervalMs: number;
  packetsMin: number;
  packetsMax: number;
  windowSeconds: number;
  seed: number;
}

/** The seed's own parameters. */
export const SEED_PARAMETERS: SeedTableInput = {
  producers: 1400,
  flushIntervalMs: 10_000,
  packetsMin: 40,
  packetsMax: 80,
  windowSeconds: 60,
  seed: 1,
};

/** The mean per 100 ms the seed printed, which its own parameters cannot give. */
export const SEED_PRINTED_MEAN = 14_232;

/** One row of the table. */
export interface SeedTableRow extends BinStats {
  jitter: boolean;
  bins: Float64Array;
}

/** Both rows, the reductions jitter gives, and the mean the parameters imply. */
export interface SeedTable {
  input: SeedTableInput;
  withoutJitter: SeedTableRow;
  withJitter: SeedTableRow;
  /** 1 − with/without, for the peak and the p99. */
  peakReduction: number;
  p99Reduction: number;
  /** producers × mean packets × flushes per window / bins: exact in expectation. */
  expectedMean: number;
  /** How many times the seed's printed mean exceeds the expected one. */
  printedMeanRatio: number;
}

function row(input: SeedTableInput, jitter: boolean): SeedTableRow {
  const windowMs = input.windowSeconds * 1000;
  const bins = new Float64Array(Math.ceil(windowMs / BIN_MS));
  const span = input.packetsMax - input.packetsMin + 1;
  for (let i = 0; i < input.producers; i++) {
    const offset = flushOffsetMs(input.seed, i, input.flushIntervalMs, jitter);
    const prng = createPrng(deriveSeed(input.seed, 'seed-table', i));
    // The window starts on the interval grid; the first flush is the first grid instant at or after 0.
    for (let t = nextFlushAtMs(-1, input.flushIntervalMs, offset); t < windowMs; t += input.flushIntervalMs) {
      bins[Math.floor(t / BIN_MS)]! += input.packetsMin + prng.int(span);
    }
  }
  return { jitter, bins, ...binStats(bins) };
}

/** Runs the seed's experiment with the rig's flush offsets. */
export function seedTable(input: SeedTableInput = SEED_PARAMETERS): SeedTable {
  const withoutJitter = row(input, false);
  const withJitter = row(input, true);
  const flushesPerWindow = (input.windowSeconds * 1000) / input.flushIntervalMs;
  const bins = (input.windowSeconds * 1000) / BIN_MS;
  const expectedMean =
    (input.producers * ((input.packetsMin + input.packetsMax) / 2) * flushesPerWindow) / bins;
  return {
    input,
    withoutJitter,
    withJitter,
    peakReduction: 1 - withJitter.peak / withoutJitter.peak,
    p99Reduction: 1 - withJitter.p99 / withoutJitter.p99,
    expectedMean,
    printedMeanRatio: SEED_PRINTED_MEAN / expectedMean,
  };
}

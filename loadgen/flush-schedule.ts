/**
 * When a producer with client-side aggregation flushes. Flush instants sit on the wall clock's interval
 * grid (multiples of the interval since the epoch) plus a per-producer offset: offset 0 for every producer
 * (flushJitter false) puts the whole fleet's flushes on the same instants, across processes and pods, with
 * no coordinator; a seeded offset within the interval (flushJitter true) spreads them. Pure.
 */
import { createPrng, deriveSeed } from './prng.ts';

/** The flush offset of one producer within the interval, in whole milliseconds. */
export function flushOffsetMs(
  seed: number,
  producerIndex: number,
  intervalMs: number,
  jitter: boolean,
): number {
  if (!jitter) return 0;
  return Math.floor(createPrng(deriveSeed(seed, 'flush', producerIndex)).next() * intervalMs);
}

/** The first flush instant strictly after `nowMs`. */
export function nextFlushAtMs(nowMs: number, intervalMs: number, offsetMs: number): number {
  const k = Math.floor((nowMs - offsetMs) / intervalMs) + 1;
  return k * intervalMs + offsetMs;
}

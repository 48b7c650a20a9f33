/**
 * The simulation's time grid and the statistics every table prints: 100 ms bins (the rig's send-slot
 * width, loadgen/send-slots.ts, so a predicted peak and a measured one mean the same thing), and peak,
 * mean and p99 of a series of bins. p99 interpolates linearly between order statistics, as numpy's
 * default percentile does, so the seed's numpy figures can be compared like for like.
 */

/** Width of one bin, in ms. */
export const BIN_MS = 100;

/** Peak, mean and 99th percentile of a series of bins. */
export interface BinStats {
  peak: number;
  mean: number;
  p99: number;
}

/** The q-quantile (0..1) of `values`, linear between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Peak, mean and p99 of `bins`. */
export function binStats(bins: ArrayLike<number>): BinStats {
  let peak = 0;
  let sum = 0;
  for (let i = 0; i < bins.length; i++) {
    const v = bins[i]!;
    sum += v;
    if (v > peak) peak = v;
  }
  return { peak, mean: bins.length > 0 ? sum / bins.length : 0, p99: quantile(bins, 0.99) };
}

/** Sums a per-millisecond series into bins of `binMs`. */
export function rebin(perMs: ArrayLike<number>, binMs = BIN_MS): Float64Array {
  const out = new Float64Array(Math.ceil(perMs.length / binMs));
  for (let i = 0; i < perMs.length; i++) out[Math.floor(i / binMs)]! += perMs[i]!;
  return out;
}

/** A bin series as chart points: [seconds at the bin's start, value]. */
export function binPoints(bins: ArrayLike<number>, binMs = BIN_MS): Array<[number, number]> {
  return Array.from({ length: bins.length }, (_, i) => [(i * binMs) / 1000, bins[i]!] as [number, number]);
}

/** The largest value of `values` (0 when empty); a loop, since long runs overflow spread arguments. */
export function maxOf(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}

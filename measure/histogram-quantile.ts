/**
 * Percentiles read off a bucketed histogram (loadgen/latency-histogram.ts), the way a fixed-bucket histogram
 * allows: the answer is the upper bound of the bucket holding the q-th observation, a value the true
 * percentile does not exceed. Used by measure/assemble.ts for the OTLP export latency. Pure.
 */
import type { LatencyHistogram } from '../loadgen/latency-histogram.ts';

/**
 * Upper bound (seconds) of the bucket holding the observation of rank ceil(q × count), 1-based; Infinity
 * when that is the bucket above the largest bound; null for an empty histogram.
 */
export function histogramQuantileBound(h: LatencyHistogram, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: ${q} is not allowed; expected 0 <= q <= 1`);
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i] as number;
    if (seen >= rank) return h.boundsSeconds[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

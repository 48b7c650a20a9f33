/**
 * A fixed log-scale histogram of durations: bucket upper bounds 1 ms × 2^k up to 65.536 s, plus one bucket
 * above that. The bounds never change, so histograms of any producer process (and any pod) merge by adding
 * bucket counts. The otlp arm records each export's duration in one (loadgen/arms/otlp.ts); the ledger
 * serves it; measure/histogram-quantile.ts reads percentiles off the merged counts. Pure.
 */

/** Finite bucket upper bounds in seconds: 0.001 × 2^k for k = 0..16 (1 ms … 65.536 s). */
export const LATENCY_BOUNDS_SECONDS: readonly number[] = Array.from({ length: 17 }, (_, k) => 2 ** k / 1000);

/** Durations counted per bucket; JSON-safe (the +Inf bound is implied, not written). */
export interface LatencyHistogram {
  /** Finite upper bounds in seconds, ascending. */
  boundsSeconds: number[];
  /**
   * Per-bucket counts, not cumulative: `counts[i]` holds durations d with bounds[i-1] < d <= bounds[i];
   * it has one more entry than `boundsSeconds`, the bucket above the largest bound.
   */
  counts: number[];
  /** Number of durations recorded (the sum of `counts`). */
  count: number;
  sumSeconds: number;
}

/** An empty histogram on the fixed bounds. */
export function newLatencyHistogram(): LatencyHistogram {
  return {
    boundsSeconds: [...LATENCY_BOUNDS_SECONDS],
    counts: new Array<number>(LATENCY_BOUNDS_SECONDS.length + 1).fill(0),
    count: 0,
    sumSeconds: 0,
  };
}

/** Records one duration; a negative one (a clock step) counts as 0. */
export function observeLatency(h: LatencyHistogram, seconds: number): void {
  const d = Math.max(0, seconds);
  let i = 0;
  while (i < h.boundsSeconds.length && d > (h.boundsSeconds[i] as number)) i++;
  h.counts[i] = (h.counts[i] ?? 0) + 1;
  h.count++;
  h.sumSeconds += d;
}

/** A copy that no later observation changes (for a ledger document). */
export function copyLatencyHistogram(h: LatencyHistogram): LatencyHistogram {
  return { ...h, boundsSeconds: [...h.boundsSeconds], counts: [...h.counts] };
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Adds histograms up bucket by bucket. Throws a RangeError when their bounds differ (a producer built
 * with other bounds): adding those counts would put durations in the wrong buckets.
 */
export function mergeLatencyHistograms(list: readonly LatencyHistogram[]): LatencyHistogram {
  const out = newLatencyHistogram();
  for (const h of list) {
    if (!sameBounds(h.boundsSeconds, out.boundsSeconds) || h.counts.length !== out.counts.length) {
      throw new RangeError(
        `exportLatencyBuckets.boundsSeconds: ${JSON.stringify(h.boundsSeconds)} differs from ${JSON.stringify(out.boundsSeconds)}; histograms merge only on the same bounds`,
      );
    }
    h.counts.forEach((c, i) => {
      out.counts[i] = (out.counts[i] as number) + c;
    });
    out.count += h.count;
    out.sumSeconds += h.sumSeconds;
  }
  return out;
}

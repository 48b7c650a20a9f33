/**
 * Small pure statistics over samples, shared by the measurement: quantiles, counter increases that
 * survive resets, the first sample crossing a threshold, and time bucketing for the report's charts.
 * Samples are [unix seconds, value] pairs as the Prometheus API returns them.
 */

export type Sample = [number, number];

/** The q-quantile (0..1) of values by linear interpolation between closest ranks; null when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function maxOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
}

/** Samples with from <= t <= to. */
export function within(samples: readonly Sample[], from: number, to: number): Sample[] {
  return samples.filter(([t]) => t >= from && t <= to);
}

/** Increase of a counter over its samples, counting a drop in value as a reset (as PromQL does). */
export function counterIncrease(samples: readonly Sample[]): number {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const prev = (samples[i - 1] as Sample)[1];
    const cur = (samples[i] as Sample)[1];
    total += cur >= prev ? cur - prev : cur;
  }
  return total;
}

/** Time of the first sample at which the counter went up (reset-aware); null if it never did. */
export function firstIncrease(samples: readonly Sample[]): number | null {
  for (let i = 1; i < samples.length; i++) {
    const prev = (samples[i - 1] as Sample)[1];
    const cur = (samples[i] as Sample)[1];
    if (cur > prev || (cur < prev && cur > 0)) return (samples[i] as Sample)[0];
  }
  return null;
}

/** Time of the earliest sample satisfying `pred` across all series; null if none. */
export function firstWhere(
  series: ReadonlyArray<readonly Sample[]>,
  pred: (v: number) => boolean,
): number | null {
  let first: number | null = null;
  for (const samples of series) {
    for (const [t, v] of samples) {
      if (pred(v) && (first === null || t < first)) first = t;
    }
  }
  return first;
}

/** Counts samples satisfying `pred` across all series. */
export function countWhere(series: ReadonlyArray<readonly Sample[]>, pred: (v: number) => boolean): number {
  let n = 0;
  for (const samples of series) for (const [, v] of samples) if (pred(v)) n++;
  return n;
}

/**
 * Groups samples from many series into fixed buckets of `stepSeconds` starting at `origin` and reduces
 * each bucket; returns [seconds since origin, value] points in time order (empty buckets omitted).
 */
export function bucketize(
  series: ReadonlyArray<readonly Sample[]>,
  origin: number,
  stepSeconds: number,
  reduce: (values: number[]) => number | null,
): Array<[number, number]> {
  const buckets = new Map<number, number[]>();
  for (const samples of series) {
    for (const [t, v] of samples) {
      const k = Math.floor((t - origin) / stepSeconds);
      const list = buckets.get(k);
      if (list) list.push(v);
      else buckets.set(k, [v]);
    }
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([k, values]) => {
      const r = reduce(values);
      return r === null ? [] : [[round3(k * stepSeconds), r] as [number, number]];
    });
}

/** Per-second rate of a counter between consecutive samples: [seconds since origin, rate] points. */
export function counterRate(samples: readonly Sample[], origin: number): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let i = 1; i < samples.length; i++) {
    const [t0, v0] = samples[i - 1] as Sample;
    const [t1, v1] = samples[i] as Sample;
    if (t1 <= t0) continue;
    const delta = v1 >= v0 ? v1 - v0 : v1;
    points.push([round3(t1 - origin), delta / (t1 - t0)]);
  }
  return points;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

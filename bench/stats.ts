/**
 * Statistics of the bench: summaries of per-event costs (median, p99 over batch means), the spread of
 * per-repeat figures, and the rig's overhead over the library alone. Pure; the quantile rule is
 * measure/stats.ts's, so the bench and the report read samples the same way.
 */
import { quantile } from '../measure/stats.ts';

/** A summary of samples (e.g. nanoseconds per event, one sample per timed batch). */
export interface Summary {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
}

/** Median, p99, min and max of `values`; null when there are none. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { n: values.length, median: quantile(values, 0.5)!, p99: quantile(values, 0.99)!, min, max };
}

/**
 * How far apart the repeats came out: (max - min) / median of `values`, in percent. Null with fewer than
 * two values (one repeat has no spread) or a median of 0.
 */
export function spreadPercent(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const s = summarize(values)!;
  if (s.median === 0) return null;
  return ((s.max - s.min) / s.median) * 100;
}

/** The rig's overhead over the library alone, (rig - library) / library, in percent; null without a base. */
export function overheadPercent(rig: number, library: number): number | null {
  if (!(library > 0) || !Number.isFinite(rig)) return null;
  return ((rig - library) / library) * 100;
}

/** Concatenates per-repeat samples into one pool. */
export function pool(samples: ReadonlyArray<readonly number[]>): number[] {
  const out: number[] = [];
  for (const s of samples) for (const v of s) out.push(v);
  return out;
}

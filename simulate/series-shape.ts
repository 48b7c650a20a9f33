/**
 * How many series a producer exposes and touches, from the spec's series dimensions and the symbols in
 * force: counters (region × symbol × route × status) and latency histograms (region × symbol × route),
 * as loadgen/order-events.ts indexes them. Events pick labels uniformly (loadgen/order-events.ts), so the
 * distinct series `n` events touch among `s` is `s × (1 − (1 − 1/s)^n)` in expectation.
 */
import type { Series } from '../api/v1alpha1/schema.ts';

/** Counter series per symbol. */
export function countersPerSymbol(series: Series): number {
  return series.regions * series.routes * series.statuses;
}

/** Histogram series per symbol. */
export function histogramsPerSymbol(series: Series): number {
  return series.regions * series.routes;
}

/** Expected distinct series among `seriesCount` that `events` uniform draws touch. */
export function distinctTouched(seriesCount: number, events: number): number {
  if (seriesCount <= 0 || events <= 0) return 0;
  if (seriesCount === 1) return 1;
  return seriesCount * -Math.expm1(events * Math.log1p(-1 / seriesCount));
}

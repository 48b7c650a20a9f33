/**
 * Order events: what one virtual producer "does". An event picks a region, a symbol among those the current
 * phase trades, a route, a status, and a lognormal latency, all from the producer's seeded PRNG. Events
 * carry label indexes (not strings) so arms can look up pre-built label sets without allocating.
 */
import type { Series } from '../api/v1alpha1/schema.ts';
import type { Prng } from './prng.ts';

/** One order event, labels as indexes into the LabelVocabulary. */
export interface OrderEvent {
  region: number;
  symbol: number;
  route: number;
  status: number;
  latencySeconds: number;
}

/** Median order latency (seconds) and the lognormal shape: a few milliseconds with a long tail. */
export const LATENCY_MEDIAN_SECONDS = 0.004;
export const LATENCY_SIGMA = 0.9;

/**
 * Fills `out` with the next event for a producer trading `symbols` symbols. Reusing one event object keeps
 * the hot loop allocation-free; arms must copy what they keep.
 */
export function nextOrderEvent(prng: Prng, series: Series, symbols: number, out: OrderEvent): OrderEvent {
  out.region = prng.int(series.regions);
  out.symbol = prng.int(symbols);
  out.route = prng.int(series.routes);
  out.status = prng.int(series.statuses);
  out.latencySeconds = prng.lognormal(LATENCY_MEDIAN_SECONDS, LATENCY_SIGMA);
  return out;
}

/** A fresh event object for `nextOrderEvent` to fill. */
export function emptyOrderEvent(): OrderEvent {
  return { region: 0, symbol: 0, route: 0, status: 0, latencySeconds: 0 };
}

/** Index of the counter series (region, symbol, route, status) in a flat table of all combinations. */
export function counterSeriesIndex(series: Series, e: OrderEvent): number {
  return ((e.symbol * series.regions + e.region) * series.routes + e.route) * series.statuses + e.status;
}

/** Index of the histogram series (region, symbol, route) in a flat table. */
export function histogramSeriesIndex(series: Series, e: OrderEvent): number {
  return (e.symbol * series.regions + e.region) * series.routes + e.route;
}

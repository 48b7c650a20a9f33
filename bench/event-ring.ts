/**
 * Pre-generated order events for the bench's baseline and library-alone layers: the same events, from the
 * same seeded streams, that the producer's generator would make for each virtual producer, stored as series
 * indexes and latencies so that those layers pay nothing for generating them (the rig layer does, and that
 * difference is part of the rig's overhead). Pure; called by bench/per-event.ts.
 */

import type { Series } from '../api/v1alpha1/schema.ts';
import { timerMillis } from '../loadgen/arms/statsd-lines.ts';
import {
  counterSeriesIndex,
  emptyOrderEvent,
  histogramSeriesIndex,
  nextOrderEvent,
} from '../loadgen/order-events.ts';
import { createPrng, deriveSeed } from '../loadgen/prng.ts';

/** A producer's next `size` events, replayed cyclically. */
export interface EventRing {
  size: number;
  /** Index into the counter label table (region, symbol, route, status). */
  counter: Int32Array;
  /** Index into the histogram label table (region, symbol, route). */
  histogram: Int32Array;
  latencySeconds: Float64Array;
  /** The latency as StatsD timer milliseconds, as the statsd arm formats it. */
  timerMs: Float64Array;
}

/** The first `size` events of fleet producer `producerIndex` trading `symbols` symbols. */
export function eventRing(
  series: Series,
  symbols: number,
  seed: number,
  producerIndex: number,
  size: number,
): EventRing {
  // The generator's seed path: loadgen/generator.ts seeds each producer with deriveSeed(seed, 'events', i).
  const prng = createPrng(deriveSeed(seed, 'events', producerIndex));
  const ring: EventRing = {
    size,
    counter: new Int32Array(size),
    histogram: new Int32Array(size),
    latencySeconds: new Float64Array(size),
    timerMs: new Float64Array(size),
  };
  const e = emptyOrderEvent();
  for (let i = 0; i < size; i++) {
    nextOrderEvent(prng, series, symbols, e);
    ring.counter[i] = counterSeriesIndex(series, e);
    ring.histogram[i] = histogramSeriesIndex(series, e);
    ring.latencySeconds[i] = e.latencySeconds;
    ring.timerMs[i] = timerMillis(e.latencySeconds);
  }
  return ring;
}

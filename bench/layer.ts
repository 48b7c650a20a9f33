/**
 * What the per-event layers of a bench case share: the process shape (virtual producers, their
 * pre-generated events, label tables) and the batch split. A batch gives every virtual producer the same
 * number of consecutive events, in producer order, which is the order the producer's generator records them
 * in one tick; so all layers do the same work in the same order and differ only in what records it. The baseline lives here too: an in-memory counter add (and a latency sum), the floor
 * any recording path pays. Called by bench/per-event.ts and the bench/library-*.ts layers.
 */

import type { Series } from '../api/v1alpha1/schema.ts';
import type { LabelVocabulary } from '../loadgen/labels.ts';
import type { TimedLayer } from './batch-timer.ts';
import type { EventRing } from './event-ring.ts';

/** A timed layer that holds resources. */
export interface BenchLayer extends TimedLayer {
  /** Releases sockets, timers and exporters (bounded). */
  close(): Promise<void>;
}

/** The process shape every layer of one case is built from. */
export interface LayerContext {
  series: Series;
  seed: number;
  /** Symbols traded (the open's), so every series exists from the start. */
  symbols: number;
  vocabulary: LabelVocabulary;
  buckets: readonly number[];
  /** Fleet indexes of the process's virtual producers. */
  producerIndexes: readonly number[];
  producerIds: readonly string[];
  /** Per producer, its pre-generated events. */
  rings: readonly EventRing[];
  /** Events each producer records per batch (a batch is eventsPerProducer × producers events). */
  eventsPerProducer: number;
}

/** Walks each producer's ring: returns the ring position of the producer's next event and advances it. */
export function ringCursor(rings: readonly EventRing[]): (producer: number) => number {
  const pos = new Array<number>(rings.length).fill(0);
  return (p) => {
    const i = pos[p]!;
    pos[p] = i + 1 === rings[p]!.size ? 0 : i + 1;
    return i;
  };
}

/** The bare baseline: per event, one in-memory counter add and one latency sum, by series index. */
export function baselineLayer(ctx: LayerContext): BenchLayer {
  const { regions, routes, statuses } = ctx.series;
  const histogramSeries = ctx.vocabulary.symbols.length * regions * routes;
  const counters = ctx.rings.map(() => new Float64Array(histogramSeries * statuses));
  const sums = ctx.rings.map(() => new Float64Array(histogramSeries));
  const next = ringCursor(ctx.rings);
  const k = ctx.eventsPerProducer;
  return {
    name: 'baseline',
    runBatch() {
      for (let p = 0; p < ctx.rings.length; p++) {
        const ring = ctx.rings[p]!;
        const counter = counters[p]!;
        const sum = sums[p]!;
        for (let j = 0; j < k; j++) {
          const i = next(p);
          counter[ring.counter[i]!]! += 1;
          sum[ring.histogram[i]!]! += ring.latencySeconds[i]!;
        }
      }
      return k * ctx.rings.length;
    },
    async close() {},
  };
}

/**
 * The pull case's "library alone" layer: prom-client used directly, as an application hosting the same
 * targets would: per virtual producer a Registry with `orders_total` (Counter) and `order_latency_seconds`
 * (Histogram) and the same label sets, every series declared up front as the pull arm does, then
 * `counter.inc(labels)` and `histogram.observe(labels, seconds)` per event. No generator, no ledger, no
 * index-to-labels lookup: that is the rig's part. Called by bench/per-event.ts.
 */
import { Registry } from 'prom-client';
import { createOrderMetrics, pullLabelTables } from '../loadgen/arms/pull-target.ts';
import { type BenchLayer, type LayerContext, ringCursor } from './layer.ts';

/** Builds the prom-client layer. */
export function libraryPullLayer(ctx: LayerContext): BenchLayer {
  const tables = pullLabelTables(ctx.series, ctx.vocabulary);
  const clients = ctx.rings.map(() => {
    const registry = new Registry();
    const { counter, histogram } = createOrderMetrics(registry, ctx.buckets);
    for (const labels of tables.counter) counter.inc(labels, 0);
    for (const labels of tables.histogram) histogram.zero(labels);
    return { counter, histogram };
  });
  const next = ringCursor(ctx.rings);
  const k = ctx.eventsPerProducer;
  return {
    name: 'library',
    runBatch() {
      for (let p = 0; p < ctx.rings.length; p++) {
        const ring = ctx.rings[p]!;
        const { counter, histogram } = clients[p]!;
        for (let j = 0; j < k; j++) {
          const i = next(p);
          counter.inc(tables.counter[ring.counter[i]!]!);
          histogram.observe(tables.histogram[ring.histogram[i]!]!, ring.latencySeconds[i]!);
        }
      }
      return k * ctx.rings.length;
    },
    async close() {},
  };
}

/**
 * The otlp cases' "library alone" layer: per virtual producer an OpenTelemetry MeterProvider with a
 * periodic OTLP exporter (gRPC or HTTP/protobuf, the arm's interval and temporality) to the bench's OTLP
 * sink (another process), a counter and a histogram with the same attribute sets, every counter series
 * declared up front as the otlp arm does; then `counter.add(1, attrs)` and `histogram.record(s, attrs)` per
 * event. Exports run on the SDK's timer, between timed batches. Called by bench/per-event.ts.
 */
import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { OtlpArm } from '../api/v1alpha1/schema.ts';
import { otlpExporterUrl } from '../loadgen/arms/otlp.ts';
import { pullLabelTables } from '../loadgen/arms/pull-target.ts';
import { type BenchLayer, type LayerContext, ringCursor } from './layer.ts';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Builds the OTel SDK layer exporting to `endpoint`. */
export function libraryOtlpLayer(ctx: LayerContext, settings: OtlpArm, endpoint: string): BenchLayer {
  const tables = pullLabelTables(ctx.series, ctx.vocabulary);
  const counterAttributes: Attributes[] = tables.counter;
  const histogramAttributes: Attributes[] = tables.histogram;
  const url = otlpExporterUrl(endpoint, settings.protocol);
  const temporalityPreference =
    settings.temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  const seriesLimit = counterAttributes.length + 1;
  const clients = ctx.rings.map(() => {
    const provider = new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter:
            settings.protocol === 'grpc'
              ? new GrpcExporter({ url, temporalityPreference })
              : new ProtoExporter({ url, temporalityPreference }),
          exportIntervalMillis: settings.exportIntervalMs,
          exportTimeoutMillis: Math.min(settings.exportIntervalMs, 30_000),
          cardinalityLimits: { counter: seriesLimit, histogram: seriesLimit },
        }),
      ],
    });
    const meter = provider.getMeter('pushpull-bench');
    const counter: Counter = meter.createCounter('orders');
    const histogram: Histogram = meter.createHistogram('order_latency', {
      unit: 's',
      advice: { explicitBucketBoundaries: [...ctx.buckets] },
    });
    for (const attrs of counterAttributes) counter.add(0, attrs);
    return { provider, counter, histogram };
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
          counter.add(1, counterAttributes[ring.counter[i]!]);
          histogram.record(ring.latencySeconds[i]!, histogramAttributes[ring.histogram[i]!]);
        }
      }
      return k * ctx.rings.length;
    },
    async close() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(clients.map((c) => c.provider.shutdown())),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    },
  };
}

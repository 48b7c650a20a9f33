/**
 * OTLP arm: each virtual producer owns an OpenTelemetry MeterProvider (resource `service.name`
 * pushpull-producer, `service.instance.id` = its producer id, so the collector sees one source per producer)
 * with a PeriodicExportingMetricReader and an OTLP exporter over gRPC or HTTP (protobuf) per the spec, at the
 * spec's interval and temporality. Instruments: counter `orders` {region,symbol,route,status} and histogram
 * `order_latency` (unit s) {region,symbol,route} with the spec's bucket bounds. The exporter is wrapped so the
 * ledger counts each export's result as the SDK sees it (ok/failed), the data points in successful ones and
 * how long the export took (start to result, retries included) in the process's latency histogram; its
 * transport is watched (otlp-attempts.ts) so the process's books count every request it sent, retries
 * included, with its points and whether the collector accepted, refused or failed it.
 */

import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { OtlpArm } from '../../api/v1alpha1/schema.ts';
import { OTLP_PRODUCER_SERVICE } from '../../collectors/jobs.ts';
import { type LatencyHistogram, newLatencyHistogram, observeLatency } from '../latency-histogram.ts';
import { newProcessBooks, type ProducerLedger } from '../ledger.ts';
import { counterSeriesIndex, histogramSeriesIndex, type OrderEvent } from '../order-events.ts';
import type { Arm, ArmContext, ArmEndpoints } from './arm.ts';
import { recordOutcome, recordSent, watchAttempts } from './otlp-attempts.ts';
import { type PullLabelTables, pullLabelTables } from './pull-target.ts';

type ExportCallback = Parameters<PushMetricExporter['export']>[1];

/**
 * How long shutdown waits for the final export of each producer: below the supervisor's 5 s grace
 * (process/supervisor.ts) between SIGTERM and SIGKILL, so the final ledger is written even when the
 * collector keeps refusing and the exporter keeps retrying.
 */
const SHUTDOWN_TIMEOUT_MS = 3_000;

/** Data points in one export. */
export function countPoints(metrics: ResourceMetrics): number {
  let n = 0;
  for (const scope of metrics.scopeMetrics) for (const m of scope.metrics) n += m.dataPoints.length;
  return n;
}

/**
 * Wraps an exporter so every export result lands in the ledger before the SDK sees it, and its duration
 * (export() to the result callback, on the monotonic clock `now`, in ms) in `latency`. `beforeExport`
 * hears the export's data points just before the inner exporter serializes and sends them.
 */
export function countingExporter(
  inner: PushMetricExporter,
  ledger: ProducerLedger,
  latency: LatencyHistogram = newLatencyHistogram(),
  now: () => number = () => performance.now(),
  beforeExport: (points: number) => void = () => {},
): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, done: ExportCallback) {
      const points = countPoints(metrics);
      beforeExport(points);
      const started = now();
      inner.export(metrics, (result) => {
        observeLatency(latency, (now() - started) / 1000);
        // 0 is ExportResultCode.SUCCESS (@opentelemetry/core).
        if (result.code === 0) {
          ledger.exportsOk++;
          ledger.pointsExported += points;
        } else {
          ledger.exportsFailed++;
        }
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    selectAggregationTemporality: inner.selectAggregationTemporality?.bind(inner),
    selectAggregation: inner.selectAggregation?.bind(inner),
  };
}

/** The exporter URL: gRPC takes the endpoint as is; HTTP posts to /v1/metrics unless a path is given. */
export function otlpExporterUrl(endpoint: string, protocol: OtlpArm['protocol']): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RangeError(
      `--otlp-endpoint: ${JSON.stringify(endpoint)} is not a URL; expected e.g. http://127.0.0.1:4317`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(
      `--otlp-endpoint: ${JSON.stringify(endpoint)} is not allowed; expected an http:// or https:// URL`,
    );
  }
  if (protocol === 'http' && (url.pathname === '' || url.pathname === '/')) url.pathname = '/v1/metrics';
  return protocol === 'grpc' ? endpoint : url.toString();
}

/** Resolves when `p` settles or after `ms`, whichever is first; never rejects. */
function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    p.then(
      () => resolve(),
      () => resolve(),
    ).finally(() => clearTimeout(timer));
  });
}

/** Creates the otlp arm exporting to `endpoint` (--otlp-endpoint). */
export function createOtlpArm(ctx: ArmContext, settings: OtlpArm, endpoint: string): Arm {
  const series = ctx.spec.series;
  const url = otlpExporterUrl(endpoint, settings.protocol);
  const temporalityPreference =
    settings.temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  // Attribute objects are the pull arm's label tables: the same names and values on every arm.
  const tables: PullLabelTables = pullLabelTables(series, ctx.vocabulary);
  const counterAttributes: Attributes[] = tables.counter;
  const histogramAttributes: Attributes[] = tables.histogram;
  const perSymbol = series.regions * series.routes * series.statuses;
  // The SDK caps series per instrument (2000 by default) and folds the rest into an overflow series;
  // the spec's cardinality is the point of the experiment, so the cap is set above it.
  const seriesLimit = counterAttributes.length + 1;
  const books = ctx.processBooks ?? newProcessBooks();

  // One deadline per export, retries included: the reader gives up on an export at exportTimeoutMillis, so
  // the exporter (whose RetryingTransport retries within its own timeoutMillis, 10 s by default) stops
  // there too, instead of retrying in the background while the next exports pile up behind it.
  const exportTimeoutMillis = Math.min(settings.exportIntervalMs, 30_000);
  const producers = ctx.producerIds.map((producerId, i) => {
    const ledger = ctx.ledgers[i]!;
    const exporterConfig = { url, temporalityPreference, timeoutMillis: exportTimeoutMillis };
    const inner =
      settings.protocol === 'grpc' ? new GrpcExporter(exporterConfig) : new ProtoExporter(exporterConfig);
    // The points of the export being handed to the inner exporter, read by the watch when its transport
    // first sees the serialized request (synchronously, inside that export).
    let pointsOfNewRequest = 0;
    const attempts = books.exportAttempts;
    const watch = watchAttempts(inner, () => pointsOfNewRequest, {
      sent(r) {
        if (r.retry && books.exportRetries !== null) books.exportRetries++;
        if (attempts) recordSent(attempts, r.points);
      },
      settled(a) {
        if (attempts) recordOutcome(attempts, a.points, a.outcome);
      },
    });
    if (!watch) {
      books.exportRetries = null;
      books.exportAttempts = null;
    }
    const provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': OTLP_PRODUCER_SERVICE,
        'service.instance.id': producerId,
      }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: countingExporter(inner, ledger, books.exportLatency, undefined, (points) => {
            pointsOfNewRequest = points;
          }),
          exportIntervalMillis: settings.exportIntervalMs,
          exportTimeoutMillis,
          cardinalityLimits: { counter: seriesLimit, histogram: seriesLimit },
        }),
      ],
    });
    const meter = provider.getMeter('pushpull-loadgen');
    const counter: Counter = meter.createCounter('orders', {
      description: 'Order events handled, by region, symbol, route and status.',
    });
    const histogram: Histogram = meter.createHistogram('order_latency', {
      description: 'Order latency, by region, symbol and route.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...ctx.buckets] },
    });
    return { provider, counter, histogram, ledger, watch, declared: 0 };
  });

  return {
    sinks: producers.map((p) => ({
      record(e: OrderEvent) {
        p.counter.add(1, counterAttributes[counterSeriesIndex(series, e)]);
        p.histogram.record(e.latencySeconds, histogramAttributes[histogramSeriesIndex(series, e)]);
        p.ledger.metricUpdates += 2;
      },
    })),
    mode: `${settings.protocol}/${settings.temporality}`,
    async start(): Promise<ArmEndpoints> {
      return {};
    },
    declareSymbols(symbols) {
      // Zero-valued points for the newly traded symbols, as the pull arm declares its series.
      const end = Math.min(symbols * perSymbol, counterAttributes.length);
      for (const p of producers) {
        for (let i = p.declared * perSymbol; i < end; i++) p.counter.add(0, counterAttributes[i]);
        p.declared = Math.max(p.declared, symbols);
      }
    },
    async flush() {
      await Promise.all(producers.map((p) => settleWithin(p.provider.forceFlush(), SHUTDOWN_TIMEOUT_MS)));
    },
    async shutdown() {
      // shutdown() collects and exports one last time before closing the exporter. The producer writes its
      // final ledger next: from here on no request leaves (a retry still scheduled would reach the collector
      // and be counted there, but not in the ledger). Requests in flight stay counted as sent.
      await Promise.all(producers.map((p) => settleWithin(p.provider.shutdown(), SHUTDOWN_TIMEOUT_MS)));
      for (const p of producers) p.watch?.stop();
    },
  };
}

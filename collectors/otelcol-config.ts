/**
 * Pure render of the OpenTelemetry Collector config for the otlp arm (local/collectors.ts writes it; a
 * golden test pins it and an integration test runs `otelcol validate` on it).
 *
 * Pipeline: otlp receiver (gRPC and HTTP, both on loopback, so the spec's protocol picks the client side
 * only) → memory_limiter → batch → prometheus exporter. memory_limiter comes first so that, under
 * overload, the receiver refuses data (the producer's exporter sees the error and
 * `otelcol_receiver_refused_metric_points` counts it) instead of the collector growing until it dies.
 * The collector's own telemetry is served on a separate port for the rig Prometheus
 * (`service.telemetry.metrics.readers[].pull.exporter.prometheus`, the v0.1xx syntax).
 *
 * No clock, no randomness, stable key order.
 */
import { stringify } from 'yaml';

/** Ports and limits of one collector. */
export interface OtelcolConfigInput {
  experiment: string;
  /** Loopback by default; a pod uses 0.0.0.0. */
  host?: string;
  grpcPort: number;
  httpPort: number;
  /** The Prometheus exporter that the subject Prometheus scrapes. */
  exporterPort: number;
  /** The collector's own metrics, scraped by the rig Prometheus. */
  telemetryPort: number;
  /** memory_limiter hard limit. Default 512 MiB. */
  memoryLimitMiB?: number;
  /** memory_limiter spike allowance (soft limit = limit − spike). Default a quarter of the limit. */
  memorySpikeLimitMiB?: number;
  /** Default 8192 points. */
  batchSize?: number;
  /** Default 200 ms: short, so a drain after the last phase waits little. */
  batchTimeoutMs?: number;
  /** How long the exporter keeps a series nobody updates. Default 5 min (the exporter's own default). */
  metricExpirationSeconds?: number;
}

/** Renders the collector's config.yaml. Throws on an impossible port or limit, naming the field. */
export function renderOtelcolConfig(input: OtelcolConfigInput): string {
  const host = input.host ?? '127.0.0.1';
  for (const field of ['grpcPort', 'httpPort', 'exporterPort', 'telemetryPort'] as const) {
    const port = input[field];
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new Error(`${field}: ${port} is not a TCP port (an integer 1-65535)`);
    }
  }
  const limit = input.memoryLimitMiB ?? 512;
  const spike = input.memorySpikeLimitMiB ?? Math.floor(limit / 4);
  if (!Number.isInteger(limit) || limit < 32) {
    throw new Error(`memoryLimitMiB: ${limit} is too small (an integer of at least 32)`);
  }
  if (!Number.isInteger(spike) || spike < 0 || spike >= limit) {
    throw new Error(
      `memorySpikeLimitMiB: ${spike} must be an integer from 0 to below memoryLimitMiB (${limit})`,
    );
  }
  const doc = {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `${host}:${input.grpcPort}` },
          http: { endpoint: `${host}:${input.httpPort}` },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_mib: limit, spike_limit_mib: spike },
      batch: {
        send_batch_size: input.batchSize ?? 8192,
        timeout: `${input.batchTimeoutMs ?? 200}ms`,
      },
    },
    exporters: {
      prometheus: {
        endpoint: `${host}:${input.exporterPort}`,
        metric_expiration: `${input.metricExpirationSeconds ?? 300}s`,
        // Producer identity travels as resource attributes; make them labels so PromQL can split by producer.
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    service: {
      telemetry: {
        logs: { level: 'info' },
        metrics: {
          level: 'normal',
          readers: [{ pull: { exporter: { prometheus: { host, port: input.telemetryPort } } } }],
        },
      },
      pipelines: {
        metrics: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'batch'],
          exporters: ['prometheus'],
        },
      },
    },
  };
  return `# OpenTelemetry Collector of experiment ${input.experiment} (otlp arm). Rendered by pushpull; do not edit.\n${stringify(doc, { lineWidth: 0 })}`;
}

/** otelcol's memory settings derived from its memory budget (spec.collectors.otelcol.memory). */
export interface OtelcolMemorySettings {
  /** memory_limiter limit_mib: 80% of the budget, so the limiter refuses before the kernel kills. */
  memoryLimitMiB: number;
  /** memory_limiter spike_limit_mib: a quarter of the limit (the soft limit is limit − spike). */
  memorySpikeLimitMiB: number;
  /** GOMEMLIMIT: the limiter's hard limit, so the Go GC works hard before the limiter refuses. */
  goMemLimit: string;
}

/** The smallest budget that leaves the limiter its 32 MiB floor (32 / 0.8). */
export const OTELCOL_MIN_MEMORY_BYTES = 40 * 2 ** 20;

/**
 * memory_limiter and GOMEMLIMIT for a collector with `memoryBytes` of memory (the practice the
 * collector's docs recommend: the limiter below the container limit, GOMEMLIMIT at about 80%). Throws,
 * naming the field, when the budget leaves the limiter less than its 32 MiB floor. Measured
 * (docs/benchmarks.md, "otelcol under a memory budget"): these settings refuse without an OOM kill once
 * the budget holds the series the Prometheus exporter keeps well under the soft limit (60% of the budget);
 * a lower limiter does not help a smaller budget, since refusing cannot shed those series.
 */
export function otelcolMemorySettings(memoryBytes: number): OtelcolMemorySettings {
  if (!(memoryBytes >= OTELCOL_MIN_MEMORY_BYTES)) {
    throw new RangeError(
      `spec.collectors.otelcol.memory: ${Math.floor(memoryBytes / 2 ** 20)} MiB (after scaleWithFleet) is too small; otelcol's memory_limiter needs a budget of at least 40Mi`,
    );
  }
  const limit = Math.floor((memoryBytes * 0.8) / 2 ** 20);
  return { memoryLimitMiB: limit, memorySpikeLimitMiB: Math.floor(limit / 4), goMemLimit: `${limit}MiB` };
}

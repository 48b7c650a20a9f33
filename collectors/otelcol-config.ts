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

/**
 * The OpenTelemetry Collector configuration of the otlp arm, as text: the OTLP receiver (gRPC and HTTP),
 * the Prometheus exporter the subject Prometheus scrapes, and the collector's own telemetry (accepted,
 * refused, failed points) on a separate port for the rig Prometheus. Pure; called by the renderer.
 */
import { stringify } from 'yaml';
import { PORTS } from './ports.ts';

/** The collector config, listening on all pod interfaces (the pod network is the boundary). */
export function renderOtelcolConfig(): string {
  const config = {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${PORTS.otlpHttp}` },
        },
      },
    },
    exporters: {
      prometheus: {
        endpoint: `0.0.0.0:${PORTS.otelcolPrometheusExporter}`,
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    service: {
      pipelines: { metrics: { receivers: ['otlp'], exporters: ['prometheus'] } },
      telemetry: {
        metrics: {
          level: 'detailed',
          readers: [
            { pull: { exporter: { prometheus: { host: '0.0.0.0', port: PORTS.otelcolTelemetry } } } },
          ],
        },
      },
    },
  };
  return stringify(config, { lineWidth: 0 });
}

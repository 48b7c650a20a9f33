/**
 * The OpenTelemetry Collector configuration of the otlp arm in a cluster: the same config the local
 * runtime renders (collectors/otelcol-config.ts: OTLP receiver, memory_limiter, batch, the Prometheus
 * exporter, the collector's own telemetry for the rig), listening on all pod interfaces at the
 * operator's fixed ports. One renderer, so both runtimes stress the same collector. Pure.
 */

import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { renderOtelcolConfig as renderCollectorConfig } from '../../collectors/otelcol-config.ts';
import { otelcolMemory } from './collector-resources.ts';
import { PORTS } from './ports.ts';

/** The collector config of experiment `experiment` (the pod network is the boundary). */
export function renderOtelcolConfig(experiment: string, spec: ExperimentSpec): string {
  const memory = otelcolMemory(spec);
  return renderCollectorConfig({
    ...(memory
      ? { memoryLimitMiB: memory.memoryLimitMiB, memorySpikeLimitMiB: memory.memorySpikeLimitMiB }
      : {}),
    experiment,
    ...(spec.arms.otlp ? { metricExpirationSeconds: spec.arms.otlp.seriesExpirationSeconds } : {}),
    host: '0.0.0.0',
    grpcPort: PORTS.otlpGrpc,
    httpPort: PORTS.otlpHttp,
    exporterPort: PORTS.otelcolPrometheusExporter,
    telemetryPort: PORTS.otelcolTelemetry,
  });
}

/**
 * Default container images of the workload, pinned to the versions in tools/versions.env (a test keeps
 * them in step), and the operator flags/env that override them. The pushpull image itself runs the
 * producers and the udp-counters sidecar; the chart sets it to the operator's own image.
 */
import type { Images } from './render/types.ts';

export const DEFAULT_IMAGES: Images = {
  pushpull: 'pushpull-rig:0.1.0',
  prometheus: 'quay.io/prometheus/prometheus:v3.16.0',
  statsdExporter: 'quay.io/prometheus/statsd-exporter:v0.31.0',
  otelcol: 'otel/opentelemetry-collector-contrib:0.165.0',
  pushgateway: 'quay.io/prometheus/pushgateway:v1.11.1',
};

/** Environment variables that override each image (the chart sets them from values.yaml). */
export const IMAGE_ENV: Record<keyof Images, string> = {
  pushpull: 'PUSHPULL_IMAGE',
  prometheus: 'PUSHPULL_PROMETHEUS_IMAGE',
  statsdExporter: 'PUSHPULL_STATSD_EXPORTER_IMAGE',
  otelcol: 'PUSHPULL_OTELCOL_IMAGE',
  pushgateway: 'PUSHPULL_PUSHGATEWAY_IMAGE',
};

/** Images from flags first, then the environment, then the defaults. */
export function resolveImages(
  flags: Partial<Images>,
  env: Record<string, string | undefined> = process.env,
): Images {
  const pick = (k: keyof Images) => flags[k] || env[IMAGE_ENV[k]] || DEFAULT_IMAGES[k];
  return {
    pushpull: pick('pushpull'),
    prometheus: pick('prometheus'),
    statsdExporter: pick('statsdExporter'),
    otelcol: pick('otelcol'),
    pushgateway: pick('pushgateway'),
  };
}

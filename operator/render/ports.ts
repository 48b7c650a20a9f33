/**
 * Port numbers and names of the workload, shared by the container specs, the Services and the Prometheus
 * configs. A producer process serves all its virtual producers on one port, each at its own path
 * (`/targets/<producerId>/metrics`, loadgen/arms/pull.ts).
 */

export const PORTS = {
  producerRig: 9399,
  producerMetrics: 9400,
  prometheus: 9090,
  statsdUdp: 9125,
  statsdMetrics: 9102,
  udpCounters: 9110,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  otelcolPrometheusExporter: 8889,
  otelcolTelemetry: 8888,
  pushgateway: 9091,
  /** A pull-direct short-lived job's /metrics. */
  jobMetrics: 9401,
} as const;

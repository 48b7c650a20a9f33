/**
 * The push arms' collectors: statsd_exporter with the `pushpull udp-counters` sidecar (same pod, so it
 * reads the kernel UDP counters of the exporter's own network namespace), and the OpenTelemetry
 * Collector. Each with its Service.
 */
import { renderStatsdMapping } from '../../collectors/liveness.ts';
import { collectorResources, otelcolMemory } from './collector-resources.ts';
import { contentHash } from './hash.ts';
import { names, STATSD_MAPPING_DIR, STATSD_MAPPING_FILE } from './names.ts';
import { renderOtelcolConfig } from './otelcol-config.ts';
import { container, deployment, service } from './pod.ts';
import { RESOURCES, scratchVolume } from './pod-security.ts';
import { PORTS } from './ports.ts';
import type { ExperimentObject, Images, KubeObject } from './types.ts';

export function statsdObjects(x: ExperimentObject, images: Images): KubeObject[] {
  const statsd = x.spec.arms.statsd!;
  const name = names.statsd(x.metadata.name);
  const args = [
    `--statsd.listen-udp=:${PORTS.statsdUdp}`,
    '--statsd.listen-tcp=',
    `--web.listen-address=:${PORTS.statsdMetrics}`,
    `--statsd.read-buffer=${statsd.receiveBufferBytes}`,
    `--statsd.mapping-config=${STATSD_MAPPING_DIR}/${STATSD_MAPPING_FILE}`,
  ];
  const exporter = container({
    name: 'statsd-exporter',
    image: images.statsdExporter,
    args,
    ports: [
      { name: 'statsd', containerPort: PORTS.statsdUdp, protocol: 'UDP' },
      { name: 'metrics', containerPort: PORTS.statsdMetrics },
    ],
    resources: collectorResources(x.spec, 'statsd', RESOURCES.statsdExporter),
    volumeMounts: [{ name: 'mapping', mountPath: STATSD_MAPPING_DIR, readOnly: true }],
    readinessPath: { path: '/metrics', port: 'metrics' },
  });
  const counters = container({
    name: 'udp-counters',
    image: images.pushpull,
    args: [
      'udp-counters',
      '--listen',
      `0.0.0.0:${PORTS.udpCounters}`,
      '--watch-port',
      String(PORTS.statsdUdp),
    ],
    ports: [{ name: 'udp-counters', containerPort: PORTS.udpCounters }],
    resources: RESOURCES.udpCounters,
    readinessPath: { path: '/metrics', port: 'udp-counters' },
  });
  return [
    deployment(x, name, {
      component: 'statsd-exporter',
      containers: [exporter, counters],
      volumes: [{ name: 'mapping', configMap: { name } }],
      configHash: contentHash([...args, renderStatsdMapping(x.spec)]),
    }),
    service(x, name, 'statsd-exporter', [
      { name: 'statsd', port: PORTS.statsdUdp, protocol: 'UDP' },
      { name: 'metrics', port: PORTS.statsdMetrics },
      { name: 'udp-counters', port: PORTS.udpCounters },
    ]),
  ];
}

export function otelcolObjects(x: ExperimentObject, images: Images): KubeObject[] {
  const name = names.otelcol(x.metadata.name);
  const memory = otelcolMemory(x.spec);
  const tmp = scratchVolume('tmp', '/tmp');
  const collector = container({
    name: 'otelcol',
    image: images.otelcol,
    args: ['--config=/etc/otelcol/config.yaml'],
    ports: [
      { name: 'otlp-grpc', containerPort: PORTS.otlpGrpc },
      { name: 'otlp-http', containerPort: PORTS.otlpHttp },
      { name: 'prom-export', containerPort: PORTS.otelcolPrometheusExporter },
      { name: 'telemetry', containerPort: PORTS.otelcolTelemetry },
    ],
    resources: collectorResources(x.spec, 'otelcol', RESOURCES.otelcol),
    ...(memory ? { env: [{ name: 'GOMEMLIMIT', value: memory.goMemLimit }] } : {}),
    volumeMounts: [{ name: 'config', mountPath: '/etc/otelcol', readOnly: true }, tmp.mount],
    readinessPath: { path: '/metrics', port: 'telemetry' },
  });
  return [
    deployment(x, name, {
      component: 'otelcol',
      containers: [collector],
      volumes: [{ name: 'config', configMap: { name } }, tmp.volume],
      configHash: contentHash(renderOtelcolConfig(x.metadata.name, x.spec)),
    }),
    service(x, name, 'otelcol', [
      { name: 'otlp-grpc', port: PORTS.otlpGrpc },
      { name: 'otlp-http', port: PORTS.otlpHttp },
      { name: 'prom-export', port: PORTS.otelcolPrometheusExporter },
      { name: 'telemetry', port: PORTS.otelcolTelemetry },
    ]),
  ];
}

/**
 * Short-lived jobs in a cluster (spec.jobs): each batch is one Indexed Job — completions = count,
 * parallelism = maxConcurrent, one `pushpull job` pod per index (JOB_COMPLETION_INDEX), non-root with a
 * read-only root filesystem and the producers' resources — and the Pushgateway, when a batch pushes to
 * it, is a Deployment + Service of its own that the subject Prometheus scrapes with honor_labels. A pod
 * waits until its own start (the batch's first start + its share of spreadSeconds, driver/jobs.ts) before
 * it lives, so the operator creates a batch's Job once startAt is fixed and the timing stays the spec's.
 * Each pod writes its ledger as its termination message, which the collect step reads. Pure.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { usesPushgateway } from '../../api/v1alpha1/derived.ts';
import type { JobBatch } from '../../api/v1alpha1/schema.ts';
import { collectorResources } from './collector-resources.ts';
import { SPEC_KEY, SPEC_MOUNT, specDocument } from './config-maps.ts';
import { contentHash } from './hash.ts';
import { JOB_BATCH_LABEL, names, ownedMeta } from './names.ts';
import { container, deployment, podTemplate, service } from './pod.ts';
import { RESOURCES } from './pod-security.ts';
import { PORTS } from './ports.ts';
import type { ExperimentObject, Images, KubeObject, Typed } from './types.ts';

/** Where a job pod writes its ledger: the container's termination message (read back from the pod status). */
export const JOB_LEDGER_PATH = '/dev/termination-log';

/** The Pushgateway's Deployment and Service, when a batch of spec.jobs pushes to it. */
export function pushgatewayObjects(x: ExperimentObject, images: Images): KubeObject[] {
  if (!usesPushgateway(x.spec)) return [];
  const name = names.pushgateway(x.metadata.name);
  // No persistence file: a group lives as long as the Pushgateway (it has no TTL by design).
  const args = [`--web.listen-address=:${PORTS.pushgateway}`];
  const gateway = container({
    name: 'pushgateway',
    image: images.pushgateway,
    args,
    ports: [{ name: 'http', containerPort: PORTS.pushgateway }],
    resources: collectorResources(x.spec, 'pushgateway', RESOURCES.pushgateway),
    readinessPath: { path: '/-/ready', port: 'http' },
  });
  return [
    deployment(x, name, {
      component: 'pushgateway',
      containers: [gateway],
      volumes: [],
      configHash: contentHash(args),
    }),
    service(x, name, 'pushgateway', [{ name: 'http', port: PORTS.pushgateway }]),
  ];
}

/** The `pushpull job` command line of a batch's pods (the index comes from JOB_COMPLETION_INDEX). */
export function jobArgs(x: ExperimentObject, batch: JobBatch, startAt: string): string[] {
  const name = x.metadata.name;
  const args = [
    'job',
    '--spec',
    `${SPEC_MOUNT}/${SPEC_KEY}`,
    '--batch',
    batch.name,
    '--start-at',
    startAt,
    '--ledger-out',
    JOB_LEDGER_PATH,
  ];
  if (batch.path === 'pull-direct') args.push('--metrics-listen', `0.0.0.0:${PORTS.jobMetrics}`);
  if (batch.path === 'pushgateway')
    args.push('--pushgateway', `http://${names.pushgateway(name)}:${PORTS.pushgateway}`);
  if (batch.path === 'statsd') args.push('--statsd', `${names.statsd(name)}:${PORTS.statsdUdp}`);
  if (batch.path === 'otlp') {
    const port = x.spec.arms.otlp?.protocol === 'http' ? PORTS.otlpHttp : PORTS.otlpGrpc;
    args.push('--otlp-endpoint', `http://${names.otelcol(name)}:${port}`);
  }
  return args;
}

/**
 * One batch as an Indexed Job. `startAt` is the batch's first start (RFC 3339): the renderer stays pure,
 * the reconciler passes it from the fixed schedule. No retries (backoffLimit 0): a job that fails is
 * reported as such, never run twice; the deadline bounds a pod that hangs.
 */
export function jobBatchObject(
  x: ExperimentObject,
  batch: JobBatch,
  images: Images,
  startAt: string,
): Typed<Job> {
  const name = names.jobBatch(x.metadata.name, batch.name);
  const job = container({
    name: 'job',
    image: images.pushpull,
    args: jobArgs(x, batch, startAt),
    ports: batch.path === 'pull-direct' ? [{ name: 'metrics', containerPort: PORTS.jobMetrics }] : [],
    resources: RESOURCES.job,
    volumeMounts: [{ name: 'spec', mountPath: SPEC_MOUNT, readOnly: true }],
  });
  const template = podTemplate(x, {
    component: 'job',
    extraLabels: { [JOB_BATCH_LABEL]: batch.name },
    containers: [{ ...job, terminationMessagePath: JOB_LEDGER_PATH, terminationMessagePolicy: 'File' }],
    volumes: [{ name: 'spec', configMap: { name: names.spec(x.metadata.name) } }],
    configHash: contentHash(specDocument(x)),
    terminationGracePeriodSeconds: 10,
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...ownedMeta(x, name, 'job'),
      labels: { ...ownedMeta(x, name, 'job').labels, [JOB_BATCH_LABEL]: batch.name },
    },
    spec: {
      completionMode: 'Indexed',
      completions: batch.count,
      parallelism: batch.maxConcurrent,
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(x.spec.maxDurationSeconds + 120),
      template: { ...template, spec: { ...template.spec!, restartPolicy: 'Never' } },
    },
  };
}

/** Every batch's Job, each starting at its phase start + offset on the schedule fixed at `startAtMs`. */
export function jobBatchObjects(
  x: ExperimentObject,
  images: Images,
  batchStartMs: (batch: JobBatch) => number,
): KubeObject[] {
  return (x.spec.jobs ?? []).map((b) =>
    jobBatchObject(x, b, images, new Date(batchStartMs(b)).toISOString()),
  );
}

/** Inputs of the renderers' golden tests, shared with the promtool/otelcol integration tests. */
import type { PullArm } from '../../api/v1alpha1/schema.ts';
import type { RigPrometheusInput, SubjectPrometheusInput } from '../render-prometheus.ts';

export const pull: PullArm = {
  scrapeIntervalSeconds: 5,
  scrapeTimeoutSeconds: 4,
  sampleLimit: 50_000,
  bodySizeLimitBytes: 1_048_576,
};

/** A subject with every arm, two producer processes and targets given out of order. */
export const FULL_SUBJECT: SubjectPrometheusInput = {
  experiment: 'quick',
  pull,
  pullTargets: [
    { producerId: 'pull-10', address: '127.0.0.1:40002' },
    { producerId: 'pull-2', address: '127.0.0.1:40001' },
    { producerId: 'pull-1', address: '127.0.0.1:40001' },
  ],
  statsdExporter: '127.0.0.1:40010',
  otelcolExporter: '127.0.0.1:40020',
};

export const FULL_RIG: RigPrometheusInput = {
  experiment: 'quick',
  subjectPrometheus: '127.0.0.1:40100',
  statsdExporter: '127.0.0.1:40010',
  otelcolTelemetry: '127.0.0.1:40021',
  udpCounters: ['127.0.0.1:40030'],
};

/** The subject with short-lived jobs: the Pushgateway and two pull-direct jobs listed before they live. */
export const JOBS_SUBJECT: SubjectPrometheusInput = {
  ...FULL_SUBJECT,
  pushgateway: '127.0.0.1:40030',
  jobTargets: [
    { batch: 'direct', instance: 'direct-1', address: '127.0.0.1:40041' },
    { batch: 'direct', instance: 'direct-0', address: '127.0.0.1:40040' },
  ],
};

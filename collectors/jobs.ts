/**
 * The Prometheus job names of the subject and the rig Prometheus. Both runtimes render their scrape
 * configs with them, and the measurement queries select by them, so they live here, once.
 */

/** Jobs of the subject Prometheus: what is under test. */
export const SUBJECT_JOBS = {
  pull: 'pull',
  statsd: 'statsd_exporter',
  otlp: 'otelcol',
  /** The Pushgateway (honor_labels: its series keep the `job` of their grouping key). */
  pushgateway: 'pushgateway',
  /** Short-lived jobs of path pull-direct, each a target while it lives. */
  jobsPullDirect: 'jobs_pull_direct',
} as const;

/** Jobs of the rig Prometheus: the collectors' self metrics and the kernel UDP counters. */
export const RIG_JOBS = {
  subjectPrometheus: 'rig_subject_prometheus',
  statsdExporter: 'rig_statsd_exporter',
  otelcol: 'rig_otelcol',
  kernelUdp: 'rig_kernel_udp',
  /** The collectors' containers as the kubelet's cAdvisor sees them (a cluster only, via the operator). */
  cadvisor: 'rig_cadvisor',
} as const;

/**
 * `service.name` of every OTLP producer. otelcol's Prometheus exporter turns it into the `job` label of
 * the producers' series (and `service.instance.id`, the producer id, into `instance`); the subject
 * Prometheus keeps them (`honor_labels`), so an OTLP producer's series select by this job.
 */
export const OTLP_PRODUCER_SERVICE = 'pushpull-producer';

/**
 * What each failure-signal kind means for the verdict and for the reader: whether it is a loss or delay
 * of data (a failure), an early warning, or a rig condition; and what the arm's operator could have
 * seen of it. Used by report/verdict.ts and both renderers, so the sentence and the tables agree.
 */
import type { SignalKind } from './types.ts';

/** Signal kinds that mean an arm lost or delayed data. */
export const FAILURE_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>([
  'scrape-timeout',
  'target-down',
  'sample-limit',
  'body-size-limit',
  'kernel-udp-drop',
  'collector-queue-drop',
  'otlp-refused',
  'otlp-export-failed',
  'collector-oom-killed',
  'network-drop',
]);

/** Signal kinds that warn of trouble without loss (a scrape used over half its timeout). */
export const WARNING_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>(['scrape-over-half-timeout']);

/** Signal kinds about the rig itself, not the collectors under test. */
export const RIG_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>(['producer-died', 'rig-limited']);

/** A short human description of each kind, for tables and sentences. */
export const KIND_LABELS: Record<SignalKind, string> = {
  'scrape-over-half-timeout': 'scrape over half the timeout',
  'scrape-timeout': 'scrape timeout',
  'target-down': 'target down (up == 0)',
  'sample-limit': 'sample_limit exceeded',
  'body-size-limit': 'body_size_limit exceeded',
  'kernel-udp-drop': 'kernel UDP drop',
  'collector-queue-drop': 'statsd_exporter queue drop',
  'otlp-refused': 'OTLP points refused',
  'otlp-export-failed': 'OTLP export failed',
  'producer-died': 'producer died',
  'rig-limited': 'rig-limited (producer could not make the asked rate)',
  'collector-oom-killed': 'collector OOM-killed',
  'network-drop': 'lost on the network path (game day)',
};

/**
 * What the operator of the arm could have seen of a signal, phrased to follow "<arm>'s operator":
 * pull failures show in Prometheus, kernel UDP drops show nowhere StatsD looks, OTLP errors surface at
 * the producer's exporter.
 */
export const OPERATOR_VIEW: Record<SignalKind, string> = {
  'scrape-over-half-timeout': 'would have seen scrape_duration_seconds near the timeout in Prometheus',
  'scrape-timeout': 'would have seen up == 0 in Prometheus, with scrape_duration_seconds at the timeout',
  'target-down': 'would have seen up == 0 in Prometheus',
  'sample-limit':
    'would have seen up == 0 and prometheus_target_scrapes_exceeded_sample_limit_total rise in Prometheus',
  'body-size-limit':
    'would have seen up == 0 and prometheus_target_scrapes_exceeded_body_size_limit_total rise in Prometheus',
  'kernel-udp-drop':
    "could not have seen it: the drops are invisible to StatsD, only the kernel counter (Udp RcvbufErrors) in the collector's network namespace shows them",
  'collector-queue-drop':
    "could have seen it only in statsd_exporter's own statsd_exporter_udp_packet_drops_total",
  'otlp-refused':
    "would have seen errors at the producer's exporter (and otelcol_receiver_refused_metric_points rise)",
  'otlp-export-failed': "would have seen failed exports at the producer's exporter",
  'producer-died': 'pull: up == 0 within one scrape; push: nothing, a dead producer looks like a quiet one',
  'rig-limited': "could not have seen it: only the rig's ledgers (schedule lag) show it",
  'collector-oom-killed': 'would have seen the collector restart (an OOM kill in its cgroup or pod status)',
  'network-drop':
    'could not have seen it: datagrams lost on the path leave no trace at the sender or at statsd_exporter; only the network fault’s rule counted them',
};

/** Short form for a table column: could the arm's own operator see it, and where. */
export const OPERATOR_VIEW_SHORT: Record<SignalKind, string> = {
  'scrape-over-half-timeout': 'yes: scrape_duration_seconds in Prometheus',
  'scrape-timeout': 'yes: up == 0 in Prometheus',
  'target-down': 'yes: up == 0 in Prometheus',
  'sample-limit': 'yes: up == 0 in Prometheus',
  'body-size-limit': 'yes: up == 0 in Prometheus',
  'kernel-udp-drop': "no: only the kernel counter in the collector's netns",
  'collector-queue-drop': "only in statsd_exporter's self metrics",
  'otlp-refused': "yes: errors at the producer's exporter",
  'otlp-export-failed': "yes: errors at the producer's exporter",
  'producer-died': 'pull: up == 0; push: no',
  'rig-limited': "no: only the rig's ledgers",
  'collector-oom-killed': 'yes: the collector restarted (OOMKilled)',
  'network-drop': 'no: only the fault’s nft rule counter',
};

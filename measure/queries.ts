/**
 * The catalogue of PromQL the rig runs, for both runtimes: every query the measurement asks the subject
 * or the rig Prometheus is built here from the job names (collectors/jobs.ts) and the experiment's name,
 * so the local and the cluster report read the same series the same way. measure/collect.ts runs them.
 */
import { RIG_JOBS, SUBJECT_JOBS } from '../collectors/jobs.ts';

/** What selects one experiment's series. */
export interface QueryScope {
  /** `metadata.name`: both runtimes put it on every series as `experiment`. */
  experiment: string;
}

const sel = (job: string, scope: QueryScope, extra = '') =>
  `{job="${job}",experiment="${scope.experiment}"${extra}}`;

/** A counter family whose name has `_total` in some otelcol telemetry setups and not in others. */
const otelcolPoints = (kind: 'accepted' | 'refused' | 'failed', scope: QueryScope) =>
  `{__name__=~"otelcol_receiver_${kind}_metric_points(_total)?",job="${RIG_JOBS.otelcol}",experiment="${scope.experiment}"}`;

/** Selectors of the subject Prometheus (the collector under test). */
export function subjectSelectors(scope: QueryScope) {
  const pull = sel(SUBJECT_JOBS.pull, scope);
  return {
    scrapeDuration: `scrape_duration_seconds${pull}`,
    up: `up${pull}`,
    samplesScraped: `scrape_samples_scraped${pull}`,
    bodySize: `scrape_body_size_bytes${pull}`,
    orders: `orders_total${pull}`,
  } as const;
}

/** Selectors of the rig Prometheus (the rig's own record of the collectors and the kernel). */
export function rigSelectors(scope: QueryScope, statsdUdpPort: number | null) {
  const subjectSelf = sel(RIG_JOBS.subjectPrometheus, scope);
  const statsd = sel(RIG_JOBS.statsdExporter, scope);
  const kernel = sel(RIG_JOBS.kernelUdp, scope);
  const socket = sel(RIG_JOBS.kernelUdp, scope, statsdUdpPort === null ? '' : `,port="${statsdUdpPort}"`);
  return {
    sampleLimitExceeded: `prometheus_target_scrapes_exceeded_sample_limit_total${subjectSelf}`,
    bodySizeLimitExceeded: `prometheus_target_scrapes_exceeded_body_size_limit_total${subjectSelf}`,
    statsdReceived: `statsd_exporter_udp_packets_total${statsd}`,
    statsdQueueDrops: `statsd_exporter_udp_packet_drops_total${statsd}`,
    kernelInDatagrams: `pushpull_kernel_udp_in_datagrams_total${kernel}`,
    kernelInErrors: `pushpull_kernel_udp_in_errors_total${kernel}`,
    kernelRcvbufErrors: `pushpull_kernel_udp_rcvbuf_errors_total${kernel}`,
    /** The collector socket's own drops: what the books use (the namespace may hold other sockets). */
    kernelSocketDrops: `pushpull_kernel_udp_socket_drops_total${socket}`,
    /** The collector socket's highest receive queue of each last second, sampled at 10 Hz (udp-counters/queue-peak.ts). */
    kernelSocketQueueMax1s: `pushpull_kernel_udp_socket_rx_queue_max_1s_bytes${socket}`,
    /** otelcol's Go heap: what its memory_limiter compares with its limits. */
    otelcolHeap: `otelcol_process_runtime_heap_alloc_bytes${sel(RIG_JOBS.otelcol, scope)}`,
    otlpAccepted: otelcolPoints('accepted', scope),
    otlpRefused: otelcolPoints('refused', scope),
    otlpFailed: otelcolPoints('failed', scope),
  } as const;
}

/** The collector's container as the kubelet's cAdvisor sees it (a cluster's rig, via the operator's relay). */
export function cadvisorSelectors(scope: QueryScope, collector: string) {
  const c = sel(RIG_JOBS.cadvisor, scope, `,collector="${collector}"`);
  return {
    cpu: `container_cpu_usage_seconds_total${c}`,
    periods: `container_cpu_cfs_periods_total${c}`,
    throttledPeriods: `container_cpu_cfs_throttled_periods_total${c}`,
    throttledSeconds: `container_cpu_cfs_throttled_seconds_total${c}`,
    memoryMaxUsage: `container_memory_max_usage_bytes${c}`,
    workingSet: `container_memory_working_set_bytes${c}`,
    oomEvents: `container_oom_events_total${c}`,
    /** Whether each node's kubelet answered the relay, and why not. */
    kubeletUp: `pushpull_kubelet_up${sel(RIG_JOBS.cadvisor, scope)}`,
  } as const;
}

/**
 * A container's cumulative counter over the window, summed over its runs (a restart is a new series
 * from 0): each series' last sample by `w.at`. The containers started with the experiment, from 0.
 */
export const containerTotalQuery = (selector: string, w: QueryWindow) =>
  `sum(last_over_time(${selector}[${rangeOf(w)}]))`;

/** The highest sample of a gauge over the window, across the container's runs. */
export const containerPeakQuery = (selector: string, w: QueryWindow) =>
  `max(max_over_time(${selector}[${rangeOf(w)}]))`;

/** A window of raw samples, unix seconds: `selector[<range>]` evaluated at `at`. */
export interface QueryWindow {
  from: number;
  at: number;
}

/** The range of a window as PromQL writes it, whole seconds, at least 1 s. */
export const rangeOf = (w: QueryWindow) => `${Math.max(1, Math.ceil(w.at - w.from))}s`;

/** `selector[range]`: the raw samples of the window. */
export const rawSamples = (selector: string, w: QueryWindow) => `${selector}[${rangeOf(w)}]`;

/**
 * Events the subject Prometheus recorded: each target's highest `orders_total` in the window, summed. An
 * instant `sum(orders_total)` at the cut-off would miss a target whose series went stale before it.
 */
export const ordersSeenQuery = (scope: QueryScope, w: QueryWindow) =>
  `sum(max_over_time(${subjectSelectors(scope).orders}[${rangeOf(w)}]))`;

/** The liveness alerts that fired (collectors/liveness.ts labels each rule with the experiment). */
export const firingAlertsSelector = (scope: QueryScope) =>
  `ALERTS{alertstate="firing",experiment="${scope.experiment}"}`;

/** Every series of the short-lived jobs' counter of batch `batch`, whatever path carried it (loadgen/job-paths.ts). */
export const jobEventsSelector = (scope: QueryScope, batch: string, extra = '') =>
  `{__name__=~"pushpull_job_events(_total)?",experiment="${scope.experiment}",batch="${batch}"${extra}}`;

/**
 * Events the collector recorded of a batch, per job: each job's highest count in the window (a job
 * scraped mid-life counts what it had then; one never scraped is absent).
 */
export const jobEventsRecordedQuery = (scope: QueryScope, batch: string, w: QueryWindow) =>
  `max by (job_instance) (max_over_time(${jobEventsSelector(scope, batch)}[${rangeOf(w)}]))`;

/** What the Pushgateway serves now of a batch's groups (by job, instance): their last pushed counts. */
export const pushgatewayServedQuery = (scope: QueryScope, jobNames: readonly string[]) =>
  `max by (job, instance) (pushpull_job_events_total{job=~"${jobNames.join('|')}",experiment="${scope.experiment}"})`;

/** `up` of the Pushgateway target: 1 while it answers, however old its groups are. */
export const pushgatewayUpQuery = (scope: QueryScope) =>
  `up{job="${SUBJECT_JOBS.pushgateway}",experiment="${scope.experiment}"}`;

/** The stale-group alert's firings for a batch now (collectors/liveness.ts renders the rule). */
export const pushgatewayAlertingQuery = (scope: QueryScope, alert: string, batch: string) =>
  `count(ALERTS{alertname="${alert}",alertstate="firing",experiment="${scope.experiment}",batch="${batch}"})`;

/**
 * prometheus.yml for the two in-cluster Prometheus servers, as text:
 *  - the subject: discovers the experiment's producer pods with `kubernetes_sd_configs` (role pod, limited
 *    to the experiment's namespace and label selector) and scrapes each virtual producer's port; also
 *    scrapes what the push arms delivered (statsd_exporter's and the collector's Prometheus endpoints);
 *  - the rig: a small separate server recording the collectors' self metrics and the kernel UDP counters,
 *    so the measurements survive the subject failing.
 * Pure: called by the renderer; `promtool check config` validates the output in an itest.
 */
import { stringify } from 'yaml';
import { usesPushgateway } from '../../api/v1alpha1/derived.ts';
import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { RIG_JOBS, SUBJECT_JOBS } from '../../collectors/jobs.ts';
import { renderLivenessRules } from '../../collectors/liveness.ts';
import { fleetPlan, producerId } from '../../schedule/fleet.ts';
import {
  EXPERIMENT_LABEL,
  JOB_BATCH_LABEL,
  JOB_COMPLETION_INDEX_LABEL,
  LIVENESS_RULES_FILE,
  names,
  POD_INDEX_LABEL,
} from './names.ts';
import { PORTS } from './ports.ts';

/** Prometheus' sanitised form of a Kubernetes label name in `__meta_kubernetes_pod_label_*`. */
export function metaLabel(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** A Prometheus duration: whole seconds as `5s`, anything finer in milliseconds. */
const seconds = (s: number): string => {
  const ms = Math.round(s * 1000);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
};

/** Scrape interval for the collectors the push arms deliver into (the pull arm's, or 5 s). */
function pushScrapeIntervalSeconds(spec: ExperimentSpec): number {
  return spec.arms.pull?.scrapeIntervalSeconds ?? 5;
}

function podSd(namespace: string, selector: string): Record<string, unknown>[] {
  return [{ role: 'pod', namespaces: { names: [namespace] }, selectors: [{ role: 'pod', label: selector }] }];
}

/** Relabel steps keeping one component's pods of one experiment on one named port. */
function keepComponentPort(
  experiment: string,
  component: string,
  portName: string,
): Record<string, unknown>[] {
  return [
    { source_labels: [metaLabel(EXPERIMENT_LABEL)], regex: experiment, action: 'keep' },
    { source_labels: [metaLabel('app.kubernetes.io/component')], regex: component, action: 'keep' },
    { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: portName, action: 'keep' },
    { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Succeeded|Failed', action: 'drop' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    { target_label: 'experiment', replacement: experiment },
  ];
}

/** The path loadgen's pull arm serves a virtual producer at (loadgen/arms/pull.ts `targetPath`). */
export function producerTargetPath(id: string): string {
  return `/targets/${id}/metrics`;
}

/**
 * The pull arm's producer targets. A producer pod serves all of its virtual producers on one port, each
 * at its own path, and the pod's ordinal decides which producers it hosts. Discovery yields one target
 * per pod, so there is one scrape config per slot s (the s-th producer of every process); in each, a
 * rule per process sets the path of producer `index * producersPerProcess + s`. A pod left without a
 * path (the last process hosts fewer producers) is dropped. Every config relabels `job` to the same
 * name, so the result is exactly one target per virtual producer, labelled with its producer id.
 */
function producerJobs(name: string, namespace: string, spec: ExperimentSpec): Record<string, unknown>[] {
  const pull = spec.arms.pull!;
  const plan = fleetPlan(spec);
  const podIndex = metaLabel(POD_INDEX_LABEL);
  const jobs: Record<string, unknown>[] = [];
  for (let slot = 0; slot < Math.min(plan.producersPerProcess, plan.producers); slot++) {
    const paths: Record<string, unknown>[] = [];
    for (let process = 0; process < plan.processes; process++) {
      const index = process * plan.producersPerProcess + slot;
      if (index >= plan.producers) continue;
      paths.push({
        source_labels: [podIndex],
        regex: String(process),
        target_label: '__metrics_path__',
        replacement: producerTargetPath(producerId(index)),
      });
    }
    jobs.push({
      job_name: `${SUBJECT_JOBS.pull}-slot-${slot}`,
      scrape_interval: seconds(pull.scrapeIntervalSeconds),
      scrape_timeout: seconds(pull.scrapeTimeoutSeconds),
      ...(pull.sampleLimit > 0 ? { sample_limit: pull.sampleLimit } : {}),
      ...(pull.bodySizeLimitBytes > 0 ? { body_size_limit: `${pull.bodySizeLimitBytes}B` } : {}),
      kubernetes_sd_configs: podSd(
        namespace,
        `${EXPERIMENT_LABEL}=${name},app.kubernetes.io/component=producer-pull`,
      ),
      relabel_configs: [
        ...keepComponentPort(name, 'producer-pull', 'metrics'),
        ...paths,
        { source_labels: ['__metrics_path__'], regex: '/targets/p[0-9]+/metrics', action: 'keep' },
        {
          source_labels: ['__metrics_path__'],
          regex: '/targets/(p[0-9]+)/metrics',
          target_label: 'producer',
          replacement: '$1',
        },
        { source_labels: [podIndex], target_label: 'process' },
        { target_label: 'arm', replacement: 'pull' },
        { target_label: 'job', replacement: SUBJECT_JOBS.pull },
      ],
    });
  }
  return jobs;
}

/**
 * The pull-direct short-lived jobs: each job's pod is a target while it runs (pod discovery; finished
 * pods are dropped), labelled with its batch and `<batch>-<completion index>` as the job's own series are.
 */
function pullDirectJobsJob(name: string, namespace: string, spec: ExperimentSpec): Record<string, unknown> {
  const pull = spec.arms.pull;
  const interval = pull?.scrapeIntervalSeconds ?? pushScrapeIntervalSeconds(spec);
  return {
    job_name: SUBJECT_JOBS.jobsPullDirect,
    scrape_interval: seconds(interval),
    scrape_timeout: seconds(pull?.scrapeTimeoutSeconds ?? interval),
    honor_labels: true,
    kubernetes_sd_configs: podSd(namespace, `${EXPERIMENT_LABEL}=${name},app.kubernetes.io/component=job`),
    relabel_configs: [
      ...keepComponentPort(name, 'job', 'metrics'),
      { source_labels: [metaLabel(JOB_BATCH_LABEL)], target_label: 'batch' },
      {
        source_labels: [metaLabel(JOB_BATCH_LABEL), metaLabel(JOB_COMPLETION_INDEX_LABEL)],
        separator: '-',
        target_label: 'job_instance',
      },
      { target_label: 'arm', replacement: 'pull' },
    ],
  };
}

/** A push collector's job: the series come from the producers (their own labels), as with a Pushgateway. */
function collectorJob(
  jobName: string,
  arm: string,
  name: string,
  namespace: string,
  component: string,
  portName: string,
  intervalSeconds: number,
): Record<string, unknown> {
  return {
    job_name: jobName,
    scrape_interval: seconds(intervalSeconds),
    scrape_timeout: seconds(intervalSeconds),
    honor_labels: true,
    kubernetes_sd_configs: podSd(
      namespace,
      `${EXPERIMENT_LABEL}=${name},app.kubernetes.io/component=${component}`,
    ),
    relabel_configs: [
      ...keepComponentPort(name, component, portName),
      { target_label: 'arm', replacement: arm },
    ],
  };
}

/** The subject Prometheus' configuration for experiment `name` in `namespace`. */
export function renderSubjectPrometheusConfig(name: string, namespace: string, spec: ExperimentSpec): string {
  const jobs: Record<string, unknown>[] = [];
  if (spec.arms.pull) jobs.push(...producerJobs(name, namespace, spec));
  const push = pushScrapeIntervalSeconds(spec);
  if (spec.arms.statsd) {
    jobs.push(
      collectorJob(SUBJECT_JOBS.statsd, 'statsd', name, namespace, 'statsd-exporter', 'metrics', push),
    );
  }
  if (spec.arms.otlp) {
    jobs.push(collectorJob(SUBJECT_JOBS.otlp, 'otlp', name, namespace, 'otelcol', 'prom-export', push));
  }
  if (usesPushgateway(spec)) {
    // honor_labels: a pushed group keeps its grouping key's `job` and `instance`.
    jobs.push(collectorJob(SUBJECT_JOBS.pushgateway, 'pull', name, namespace, 'pushgateway', 'http', push));
  }
  if (spec.jobs?.some((b) => b.path === 'pull-direct')) jobs.push(pullDirectJobsJob(name, namespace, spec));
  const pull = spec.arms.pull;
  const rules = renderLivenessRules(name, spec) !== null;
  const config = {
    global: {
      scrape_interval: seconds(pull?.scrapeIntervalSeconds ?? push),
      scrape_timeout: seconds(pull?.scrapeTimeoutSeconds ?? push),
      ...(rules ? { evaluation_interval: seconds(spec.liveness.evaluationIntervalSeconds) } : {}),
      // scrape_body_size_bytes exists only with this on; without it the body growth is invisible.
      extra_scrape_metrics: true,
      external_labels: { pushpull_experiment: name, pushpull_role: 'subject' },
    },
    // The liveness alerts (collectors/liveness.ts), from the same ConfigMap.
    ...(rules ? { rule_files: [`/etc/prometheus/${LIVENESS_RULES_FILE}`] } : {}),
    scrape_configs: jobs,
  };
  return stringify(config, { lineWidth: 0 });
}

/**
 * The rig Prometheus' configuration: static targets through the experiment's Services (no API access,
 * so no RBAC). It scrapes every second: kernel drop timelines need the resolution. With `kubeletRelay`
 * (host:port of the operator) it also scrapes the collectors' cAdvisor series through the operator
 * (operator/kubelet/cadvisor-relay.ts), every 5 s: the kubelet refreshes them about every 10 s anyway.
 */
export function renderRigPrometheusConfig(
  name: string,
  namespace: string,
  spec: ExperimentSpec,
  kubeletRelay?: string,
): string {
  const svc = (n: string, port: number) => `${n}.${namespace}.svc:${port}`;
  const job = (jobName: string, target: string) => ({
    job_name: jobName,
    static_configs: [{ targets: [target], labels: { experiment: name } }],
  });
  const jobs: Record<string, unknown>[] = [];
  if (!spec.collection.prometheusURL)
    jobs.push(job(RIG_JOBS.subjectPrometheus, svc(names.prometheus(name), PORTS.prometheus)));
  if (spec.arms.statsd) {
    jobs.push(job(RIG_JOBS.statsdExporter, svc(names.statsd(name), PORTS.statsdMetrics)));
    jobs.push(job(RIG_JOBS.kernelUdp, svc(names.statsd(name), PORTS.udpCounters)));
  }
  if (spec.arms.otlp) jobs.push(job(RIG_JOBS.otelcol, svc(names.otelcol(name), PORTS.otelcolTelemetry)));
  if (kubeletRelay) {
    jobs.push({
      ...job(RIG_JOBS.cadvisor, kubeletRelay),
      scrape_interval: '5s',
      scrape_timeout: '4s',
      metrics_path: '/kubelet/cadvisor',
      params: { namespace: [namespace], experiment: [name] },
      // cAdvisor's namespace/pod/container labels are the point; its timestamps are the kubelet's.
      honor_labels: true,
    });
  }
  const config = {
    global: {
      scrape_interval: '1s',
      scrape_timeout: '800ms',
      external_labels: { pushpull_experiment: name, pushpull_role: 'rig' },
    },
    scrape_configs: jobs,
  };
  return stringify(config, { lineWidth: 0 });
}

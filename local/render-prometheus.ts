/**
 * Pure renderers of the two prometheus.yml files the local runtime writes (local/collectors.ts calls them;
 * golden tests pin their output and an integration test runs `promtool check config` on it):
 *
 * - the SUBJECT Prometheus, the collector under test: it scrapes every pull target with the spec's
 *   interval, timeout, sample and body limits, and scrapes statsd_exporter and otelcol's Prometheus
 *   exporter, which is how push data reaches PromQL;
 * - the RIG Prometheus, the rig's own record that must outlive the subject: collectors' self metrics,
 *   the subject Prometheus's own /metrics and the kernel UDP counters.
 *
 * Pull targets: each producer process serves many virtual producers at `/targets/<producerId>/metrics` on
 * one port. `metrics_path` is per scrape config, but Prometheus fills `__metrics_path__` from it only
 * when the target does not already carry that label, so one scrape config with one static group per
 * producer setting `__metrics_path__` scrapes each path without relabeling and without thousands of jobs.
 * `instance` stays host:port (the process); `producer` names the virtual producer.
 *
 * `extra_scrape_metrics` exists both in `global` and per scrape config in Prometheus 3.16
 * (config/config.go); it is set globally so every job, push collectors included, records
 * `scrape_body_size_bytes`, `scrape_timeout_seconds` and `scrape_sample_limit`.
 *
 * No clock, no randomness; targets are sorted so the output does not depend on start order.
 */
import { stringify } from 'yaml';
import type { PullArm } from '../api/v1alpha1/schema.ts';
import { RIG_JOBS, SUBJECT_JOBS } from '../collectors/jobs.ts';

/** One virtual producer of the pull arm, as its producer process reports it. */
export interface PullTarget {
  /** The virtual producer's id: the `<producerId>` of `/targets/<producerId>/metrics`. */
  producerId: string;
  /** `host:port` of the producer process's metrics server. */
  address: string;
}

/** One short-lived job of path pull-direct: a target that is up only while the job lives. */
export interface JobTarget {
  batch: string;
  /** `<batch>-<index>` (driver/jobs.ts). */
  instance: string;
  address: string;
}

/** What the subject Prometheus scrapes. */
export interface SubjectPrometheusInput {
  /** The experiment's `metadata.name`, put on every series as `experiment`. */
  experiment: string;
  /** The spec's pull arm; without it there is no `pull` job. */
  pull?: PullArm;
  /** Every pull target (may be empty before the producers are up). */
  pullTargets: readonly PullTarget[];
  /** `host:port` of statsd_exporter's web listener (its /metrics), when the statsd arm runs. */
  statsdExporter?: string;
  /** `host:port` of otelcol's Prometheus exporter, when the otlp arm runs. */
  otelcolExporter?: string;
  /** `host:port` of the Pushgateway, when a batch of short-lived jobs pushes to it. */
  pushgateway?: string;
  /** The short-lived jobs of path pull-direct: each one's address, listed before it lives. */
  jobTargets?: readonly JobTarget[];
  /** Rule files to load (the liveness alerts, collectors/liveness.ts), and how often to evaluate them. */
  ruleFiles?: readonly string[];
  evaluationIntervalSeconds?: number;
  /**
   * Scrape interval of the push collectors' jobs, in seconds. Default: the pull arm's interval (the
   * same resolution for every arm), else 5 s. Their timeout equals the interval (the largest allowed),
   * so scraping the collector does not add failures of its own to the push arms.
   */
  pushScrapeIntervalSeconds?: number;
}

/** What the rig Prometheus scrapes. Every address is `host:port`. */
export interface RigPrometheusInput {
  experiment: string;
  /** Default 1 s: the rig's record is a time series of counters, read at a fine grain. */
  scrapeIntervalSeconds?: number;
  subjectPrometheus: string;
  statsdExporter?: string;
  /** otelcol's own telemetry endpoint (service.telemetry.metrics), not its exporter. */
  otelcolTelemetry?: string;
  /** The kernel UDP counter exporters (`pushpull udp-counters`), one per collector network namespace. */
  udpCounters: readonly string[];
}

const DEFAULT_PUSH_INTERVAL_SECONDS = 5;
const PRODUCER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

/** Renders the subject Prometheus's prometheus.yml. Throws on a bad input, naming the field. */
export function renderSubjectPrometheusConfig(input: SubjectPrometheusInput): string {
  const pull = input.pull;
  const pushInterval =
    input.pushScrapeIntervalSeconds ?? pull?.scrapeIntervalSeconds ?? DEFAULT_PUSH_INTERVAL_SECONDS;
  const globalInterval = pull?.scrapeIntervalSeconds ?? pushInterval;
  const globalTimeout = pull?.scrapeTimeoutSeconds ?? pushInterval;
  if (pull && pull.scrapeTimeoutSeconds > pull.scrapeIntervalSeconds) {
    throw new Error(
      `spec.arms.pull.scrapeTimeoutSeconds: ${pull.scrapeTimeoutSeconds} exceeds scrapeIntervalSeconds (${pull.scrapeIntervalSeconds}); Prometheus allows a timeout up to the interval`,
    );
  }
  const base = { experiment: input.experiment };
  const scrapeConfigs: Record<string, unknown>[] = [];

  if (pull) {
    const targets = sortedTargets(input.pullTargets);
    scrapeConfigs.push({
      job_name: SUBJECT_JOBS.pull,
      scrape_interval: promDuration(pull.scrapeIntervalSeconds, 'spec.arms.pull.scrapeIntervalSeconds'),
      scrape_timeout: promDuration(pull.scrapeTimeoutSeconds, 'spec.arms.pull.scrapeTimeoutSeconds'),
      ...(pull.sampleLimit > 0 ? { sample_limit: pull.sampleLimit } : {}),
      ...(pull.bodySizeLimitBytes > 0 ? { body_size_limit: `${pull.bodySizeLimitBytes}B` } : {}),
      extra_scrape_metrics: true,
      static_configs: targets.map((t) => ({
        targets: [t.address],
        labels: {
          __metrics_path__: `/targets/${t.producerId}/metrics`,
          ...base,
          arm: 'pull',
          producer: t.producerId,
        },
      })),
    });
  }
  const pushJob = (job: string, arm: string, address: string, field: string) => {
    checkAddress(address, field);
    const interval = promDuration(pushInterval, 'pushScrapeIntervalSeconds');
    return {
      job_name: job,
      scrape_interval: interval,
      scrape_timeout: interval,
      // The series come from the producers (their own labels), as with a Pushgateway.
      honor_labels: true,
      extra_scrape_metrics: true,
      static_configs: [{ targets: [address], labels: { ...base, arm } }],
    };
  };
  if (input.statsdExporter !== undefined) {
    scrapeConfigs.push(pushJob(SUBJECT_JOBS.statsd, 'statsd', input.statsdExporter, 'statsdExporter'));
  }
  if (input.otelcolExporter !== undefined) {
    scrapeConfigs.push(pushJob(SUBJECT_JOBS.otlp, 'otlp', input.otelcolExporter, 'otelcolExporter'));
  }
  if (input.pushgateway !== undefined) {
    // honor_labels: a pushed group keeps its grouping key's `job` and `instance` (the Pushgateway's advice).
    scrapeConfigs.push(pushJob(SUBJECT_JOBS.pushgateway, 'pull', input.pushgateway, 'pushgateway'));
  }
  if (input.jobTargets?.length) {
    const interval = pull?.scrapeIntervalSeconds ?? pushInterval;
    scrapeConfigs.push({
      job_name: SUBJECT_JOBS.jobsPullDirect,
      scrape_interval: promDuration(interval, 'spec.arms.pull.scrapeIntervalSeconds'),
      scrape_timeout: promDuration(
        pull?.scrapeTimeoutSeconds ?? interval,
        'spec.arms.pull.scrapeTimeoutSeconds',
      ),
      // The job's own series carry the same batch and job_instance as its target: keep them as they are.
      honor_labels: true,
      static_configs: [...input.jobTargets]
        .sort((a, b) => naturalCompare(a.instance, b.instance))
        .map((t, i) => {
          checkAddress(t.address, `jobTargets[${i}].address`);
          return {
            targets: [t.address],
            labels: { ...base, arm: 'pull', batch: t.batch, job_instance: t.instance },
          };
        }),
    });
  }

  return render(
    `Subject Prometheus of experiment ${input.experiment}: the collector under test. Rendered by pushpull; do not edit.`,
    {
      global: {
        scrape_interval: promDuration(globalInterval, 'scrape_interval'),
        scrape_timeout: promDuration(globalTimeout, 'scrape_timeout'),
        ...(input.evaluationIntervalSeconds !== undefined
          ? {
              evaluation_interval: promDuration(
                input.evaluationIntervalSeconds,
                'liveness.evaluationIntervalSeconds',
              ),
            }
          : {}),
        extra_scrape_metrics: true,
      },
      ...(input.ruleFiles?.length ? { rule_files: [...input.ruleFiles] } : {}),
      scrape_configs: scrapeConfigs,
    },
  );
}

/** Renders the rig Prometheus's prometheus.yml. */
export function renderRigPrometheusConfig(input: RigPrometheusInput): string {
  const interval = promDuration(input.scrapeIntervalSeconds ?? 1, 'scrapeIntervalSeconds');
  const job = (name: string, role: string, targets: readonly string[], field: string, keep?: string) => {
    for (const t of targets) checkAddress(t, field);
    return {
      job_name: name,
      static_configs: [{ targets: [...targets], labels: { experiment: input.experiment, role } }],
      ...(keep
        ? { metric_relabel_configs: [{ source_labels: ['__name__'], regex: keep, action: 'keep' }] }
        : {}),
    };
  };
  const jobs: Record<string, unknown>[] = [
    job(RIG_JOBS.subjectPrometheus, 'subject-prometheus', [input.subjectPrometheus], 'subjectPrometheus'),
  ];
  if (input.statsdExporter !== undefined) {
    // statsd_exporter serves the pushed series and its own on one /metrics: keep only its own, so the
    // rig stores the collector's health and not a second copy of the data under test.
    jobs.push(
      job(
        RIG_JOBS.statsdExporter,
        'statsd-exporter',
        [input.statsdExporter],
        'statsdExporter',
        'statsd_exporter_.*|process_.*|go_(goroutines|memstats_heap_inuse_bytes|gc_duration_seconds.*)',
      ),
    );
  }
  if (input.otelcolTelemetry !== undefined) {
    jobs.push(job(RIG_JOBS.otelcol, 'otelcol', [input.otelcolTelemetry], 'otelcolTelemetry'));
  }
  if (input.udpCounters.length > 0) {
    jobs.push(job(RIG_JOBS.kernelUdp, 'kernel-udp', [...input.udpCounters].sort(), 'udpCounters'));
  }
  return render(
    `Rig Prometheus of experiment ${input.experiment}: the rig's own record, kept apart from the subject. Rendered by pushpull; do not edit.`,
    {
      global: { scrape_interval: interval, scrape_timeout: interval },
      scrape_configs: jobs,
    },
  );
}

/**
 * Seconds as a Prometheus duration: whole seconds as `5s`, anything finer in whole milliseconds
 * (`model.Duration` accepts no decimals).
 */
export function promDuration(seconds: number, field: string): string {
  const ms = Math.round(seconds * 1000);
  if (!Number.isFinite(seconds) || ms < 1) {
    throw new Error(`${field}: ${seconds} is not a duration Prometheus accepts (at least 0.001 seconds)`);
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function sortedTargets(targets: readonly PullTarget[]): PullTarget[] {
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (!PRODUCER_ID.test(t.producerId)) {
      throw new Error(
        `pullTargets[${i}].producerId: "${t.producerId}" must be 1-128 letters, digits, '.', '_' or '-' (it is a URL path segment)`,
      );
    }
    checkAddress(t.address, `pullTargets[${i}].address`);
    if (seen.has(t.producerId)) {
      throw new Error(
        `pullTargets[${i}].producerId: "${t.producerId}" appears twice; each producer is one target`,
      );
    }
    seen.add(t.producerId);
  });
  return [...targets].sort((a, b) => naturalCompare(a.producerId, b.producerId));
}

function checkAddress(address: string, field: string): void {
  if (!HOST_PORT.test(address)) throw new Error(`${field}: "${address}" is not host:port`);
}

/** Orders `p-2` before `p-10`: digit runs compare as numbers. Deterministic, locale-free. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function render(header: string, doc: Record<string, unknown>): string {
  return `# ${header}\n${stringify(doc, { lineWidth: 0 })}`;
}

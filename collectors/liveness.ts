/**
 * Liveness as each arm's operator would alert on a dead producer, rendered as real Prometheus alerting
 * rules for the subject Prometheus (both runtimes load the same file): pull `up == 0`; StatsD the absence
 * of a producer's heartbeat (statsd_exporter expires it after its mapping ttl); OTLP the absence of a
 * producer's series (otelcol's exporter expires them after metric_expiration). StatsD without a
 * heartbeat has no rule: nothing distinguishes a dead producer from a quiet one. An absence rule
 * remembers every producer it saw within `lookbackSeconds` (max_over_time) and fires for those no longer
 * there. Pure; `promtool check rules` checks the output in an integration test.
 */
import { stringify } from 'yaml';
import type { ArmName, ExperimentSpec, JobBatch } from '../api/v1alpha1/schema.ts';
import { RENAMED_SUFFIX } from '../driver/jobs.ts';
import { OTLP_PRODUCER_SERVICE, SUBJECT_JOBS } from './jobs.ts';

/** The gauge each StatsD producer sends as its heartbeat (tagged with `producer`). */
export const HEARTBEAT_METRIC = 'pushpull_heartbeat';

/** One alert per arm: its name and the label that names the producer it is about. */
export const LIVENESS_ALERTS = {
  pull: { alert: 'PushpullPullProducerDown', producerLabel: 'producer' },
  statsd: { alert: 'PushpullStatsdHeartbeatMissing', producerLabel: 'producer' },
  otlp: { alert: 'PushpullOtlpProducerMissing', producerLabel: 'instance' },
} as const satisfies Record<ArmName, { alert: string; producerLabel: string }>;

/** The arms whose dead producers an alert can see at all in this spec. */
export function detectableArms(spec: ExperimentSpec): ArmName[] {
  const arms: ArmName[] = [];
  if (spec.arms.pull) arms.push('pull');
  if (spec.arms.statsd && spec.arms.statsd.heartbeatIntervalSeconds > 0) arms.push('statsd');
  if (spec.arms.otlp) arms.push('otlp');
  return arms;
}

const seconds = (s: number) => `${Math.round(s * 1000)}ms`;

/** "Seen within the lookback, and not there now", per producer. */
function absence(selector: string, by: string, lookbackSeconds: number): string {
  return `group by (${by}) (max_over_time(${selector}[${seconds(lookbackSeconds)}])) unless group by (${by}) (${selector})`;
}

/** The expression of each arm's alert for experiment `experiment`. */
export function livenessExpressions(
  experiment: string,
  spec: ExperimentSpec,
): Partial<Record<ArmName, string>> {
  const lookback = spec.liveness.lookbackSeconds;
  const scope = `experiment="${experiment}"`;
  const out: Partial<Record<ArmName, string>> = {};
  for (const arm of detectableArms(spec)) {
    if (arm === 'pull') out.pull = `up{job="${SUBJECT_JOBS.pull}",${scope}} == 0`;
    if (arm === 'statsd') {
      out.statsd = absence(
        `${HEARTBEAT_METRIC}{job="${SUBJECT_JOBS.statsd}",${scope}}`,
        'producer',
        lookback,
      );
    }
    if (arm === 'otlp') {
      out.otlp = absence(`orders_total{job="${OTLP_PRODUCER_SERVICE}",${scope}}`, 'instance', lookback);
    }
  }
  return out;
}

/** The alert on a Pushgateway group's age, one rule per batch of path pushgateway. */
export const PUSHGATEWAY_STALE_ALERT = 'PushpullPushgatewayGroupStale';

/** The `job` names a batch's groups carry: its name, and NAME-renamed when it renames mid-run. */
export function pushgatewayJobNames(batch: Pick<JobBatch, 'name' | 'renameAfterJobs'>): string[] {
  return batch.renameAfterJobs === undefined ? [batch.name] : [batch.name, `${batch.name}${RENAMED_SUFFIX}`];
}

/** `time() - push_time_seconds` of a batch's groups: how long ago each was last pushed. */
export function pushAgeExpression(
  experiment: string,
  batch: Pick<JobBatch, 'name' | 'renameAfterJobs'>,
): string {
  return `time() - push_time_seconds{job=~"${pushgatewayJobNames(batch).join('|')}",experiment="${experiment}"}`;
}

/** The rule file, or null when no arm can be alerted on. */
export function renderLivenessRules(experiment: string, spec: ExperimentSpec): string | null {
  const expressions = livenessExpressions(experiment, spec);
  const rules: Record<string, unknown>[] = (Object.entries(expressions) as [ArmName, string][]).map(
    ([arm, expr]) => ({
      alert: LIVENESS_ALERTS[arm].alert,
      expr,
      for: seconds(spec.liveness.forSeconds),
      labels: { arm, experiment },
      annotations: {
        summary: `${arm} producer {{ $labels.${LIVENESS_ALERTS[arm].producerLabel} }} looks dead`,
      },
    }),
  );
  for (const batch of (spec.jobs ?? []).filter((b) => b.path === 'pushgateway')) {
    rules.push({
      alert: PUSHGATEWAY_STALE_ALERT,
      expr: `${pushAgeExpression(experiment, batch)} > ${batch.staleAfterSeconds}`,
      for: seconds(spec.liveness.forSeconds),
      labels: { arm: 'pull', experiment, batch: batch.name },
      annotations: {
        summary: `Pushgateway group {{ $labels.job }}/{{ $labels.instance }} was last pushed over ${batch.staleAfterSeconds} s ago`,
      },
    });
  }
  if (rules.length === 0) return null;
  return `# Liveness rules of experiment ${experiment}. Rendered by pushpull; do not edit.\n${stringify(
    {
      groups: [
        { name: 'pushpull-liveness', interval: seconds(spec.liveness.evaluationIntervalSeconds), rules },
      ],
    },
    { lineWidth: 0 },
  )}`;
}

/**
 * statsd_exporter's mapping config: the heartbeat gauge expires `heartbeatTtlSeconds` after a producer's
 * last datagram, so a dead producer's series goes away; every other metric keeps the exporter's defaults.
 */
export function renderStatsdMapping(spec: ExperimentSpec): string {
  const ttl = spec.arms.statsd?.heartbeatTtlSeconds ?? 10;
  return `# statsd_exporter mappings. Rendered by pushpull; do not edit.\n${stringify(
    {
      mappings: [
        { match: HEARTBEAT_METRIC, name: HEARTBEAT_METRIC, match_metric_type: 'gauge', ttl: seconds(ttl) },
      ],
    },
    { lineWidth: 0 },
  )}`;
}

/**
 * Game day, short-lived jobs: per batch of spec.jobs, the capture rate — events the collector recorded
 * (measure/collect-jobs.ts) over events the jobs generated (their own ledgers) — and, for the
 * Pushgateway, how alive the gone jobs still looked at the cut-off: every group still served with `up`
 * 1, how old each push was (`time() - push_time_seconds`), what the stale-group alert said, and for a
 * batch renamed mid-run what its old name's groups still served. Pure; assemble calls it.
 */
import type { ExperimentSpec, JobBatch, JobPath } from '../api/v1alpha1/schema.ts';
import { PUSHGATEWAY_STALE_ALERT, pushAgeExpression } from '../collectors/liveness.ts';
import { RENAMED_SUFFIX } from '../driver/jobs.ts';
import type { JobLedger } from '../loadgen/job-ledger.ts';
import { formatSeconds } from '../report/format.ts';
import type { Figure, JobBatchResult, PushgatewayStaleness, ShortLivedJobs } from '../report/types.ts';
import type { RawJobBatch, RawJobs } from './collect-jobs.ts';
import type { Reading } from './inputs.ts';
import type { PromSeries } from './prom-api.ts';

type Unit = Figure['unit'];

const fig = (value: number | null, unit: Unit, source: string, missing?: string): Figure =>
  value === null ? { value, unit, source, missing: missing ?? 'not measured' } : { value, unit, source };

const fromReading = <T>(r: Reading<T> | undefined, unit: Unit, value: (v: T) => number | null): Figure => {
  if (!r) return fig(null, unit, 'not read', 'not read by this runtime');
  if ('missing' in r) return fig(null, unit, r.source, r.missing);
  return fig(value(r.value), unit, r.source, 'the reading holds no value');
};

const lastValue = (s: PromSeries) => s.samples[s.samples.length - 1]?.[1] ?? 0;

/** Path names as the sentence says them. */
export const PATH_WORDS: Record<JobPath, string> = {
  'pull-direct': 'pull direct',
  pushgateway: 'the Pushgateway',
  statsd: 'StatsD',
  otlp: 'OTLP',
};

function pushgatewaySection(b: JobBatch, raw: RawJobBatch, experiment: string): PushgatewayStaleness {
  const ages = raw.pushAges;
  const served = new Map<string, number>();
  if (raw.pushServed?.value)
    for (const s of raw.pushServed.value) served.set(`${s.labels.job}/${s.labels.instance}`, lastValue(s));
  const groups = (ages?.value ?? [])
    .map((s) => ({
      job: s.labels.job ?? '',
      instance: s.labels.instance ?? '',
      ageSeconds: lastValue(s),
      eventsServed: served.get(`${s.labels.job}/${s.labels.instance}`) ?? null,
    }))
    .sort(
      (x, y) => x.job.localeCompare(y.job) || x.instance.localeCompare(y.instance, 'en', { numeric: true }),
    );
  const ageSource = ages?.source ?? `PromQL ${pushAgeExpression(experiment, b)}`;
  const agesMissing = ages?.value === null ? ages.missing : undefined;
  const noGroups = 'the Pushgateway served no group of this batch at the cut-off';
  const minMax = (pick: (xs: number[]) => number, what: string): Figure =>
    agesMissing !== undefined
      ? fig(null, 'seconds', `${what} of ${ageSource}`, agesMissing)
      : groups.length === 0
        ? fig(null, 'seconds', `${what} of ${ageSource}`, noGroups)
        : fig(pick(groups.map((g) => g.ageSeconds)), 'seconds', `${what} of ${ageSource}`);
  const renamed =
    b.renameAfterJobs === undefined
      ? null
      : (() => {
          const old = groups.filter((g) => g.job === b.name);
          const servedSource = raw.pushServed?.source ?? 'not read';
          const oldEvents = old.every((g) => g.eventsServed !== null)
            ? old.reduce((n, g) => n + (g.eventsServed ?? 0), 0)
            : null;
          return {
            oldJob: b.name,
            newJob: `${b.name}${RENAMED_SUFFIX}`,
            oldGroupsServed: fig(
              agesMissing === undefined ? old.length : null,
              'count',
              `groups with job="${b.name}" in ${ageSource}`,
              agesMissing,
            ),
            oldEventsServed: fig(
              oldEvents,
              'events',
              `sum over job="${b.name}" of ${servedSource}`,
              'a group’s served count was not read',
            ),
          };
        })();
  return {
    groups,
    groupsServed: fig(
      agesMissing === undefined ? groups.length : null,
      'count',
      `series of ${ageSource}`,
      agesMissing,
    ),
    stalenessSecondsMin: minMax((xs) => Math.min(...xs), 'min'),
    stalenessSecondsMax: minMax((xs) => Math.max(...xs), 'max'),
    upAtCutOff: fromReading(raw.pushgatewayUp, 'count', (v) => v),
    alert: PUSHGATEWAY_STALE_ALERT,
    alertAfterSeconds: b.staleAfterSeconds,
    groupsAlerting: fromReading(raw.alerting, 'count', (v) => v),
    renamed,
  };
}

function batchResult(
  spec: ExperimentSpec,
  b: JobBatch,
  raw: RawJobBatch | undefined,
  ledgers: readonly JobLedger[],
  experiment: string,
): JobBatchResult {
  const mine = ledgers.filter((l) => l.batch === b.name);
  const instances = new Set(mine.map((l) => l.instance));
  const partial = mine.length < b.count ? ` (${mine.length} of ${b.count} jobs left a ledger)` : '';
  const generated = mine.reduce((n, l) => n + l.eventsGenerated, 0);
  const eventsGenerated = fig(
    mine.length === 0 ? null : generated,
    'events',
    `job ledgers: sum of eventsGenerated${partial}`,
    'no job of the batch left a ledger (run.missing names them)',
  );
  const recordedReading = raw?.recorded;
  const perJob = new Map<string, number>();
  for (const s of recordedReading?.value ?? []) {
    const inst = s.labels.job_instance;
    if (inst !== undefined && instances.has(inst)) perJob.set(inst, lastValue(s));
  }
  const recordedMissing =
    recordedReading === undefined
      ? 'not read'
      : recordedReading.value === null
        ? recordedReading.missing
        : undefined;
  const recordedSource = `${recordedReading?.source ?? 'not read'}, over the jobs that left a ledger`;
  const recorded = [...perJob.values()].reduce((n, v) => n + v, 0);
  const eventsRecorded = fig(
    recordedMissing === undefined ? recorded : null,
    'events',
    recordedSource,
    recordedMissing,
  );
  const captured = [...perJob.values()].filter((v) => v > 0).length;
  const jobsCaptured = fig(
    recordedMissing === undefined ? captured : null,
    'count',
    `jobs with events > 0 in ${recordedSource}`,
    recordedMissing,
  );
  const rateSource = `eventsRecorded / eventsGenerated`;
  const captureRate =
    eventsRecorded.value === null || eventsGenerated.value === null
      ? fig(null, 'ratio', rateSource, eventsRecorded.missing ?? eventsGenerated.missing)
      : eventsGenerated.value === 0
        ? fig(null, 'ratio', rateSource, 'the jobs generated no events')
        : fig(eventsRecorded.value / eventsGenerated.value, 'ratio', rateSource);
  const pullPath = b.path === 'pull-direct' || b.path === 'pushgateway';
  return {
    name: b.name,
    path: b.path,
    count: b.count,
    lifetimeSeconds: b.lifetimeSeconds,
    scrapeIntervalSeconds: pullPath ? (spec.arms.pull?.scrapeIntervalSeconds ?? null) : null,
    jobsRun: fig(mine.length, 'count', `job ledgers read (of ${b.count} jobs)`),
    jobsCaptured,
    eventsGenerated,
    eventsRecorded,
    captureRate,
    pushgateway: b.path === 'pushgateway' && raw ? pushgatewaySection(b, raw, experiment) : null,
  };
}

/** One batch as the sentence says it. */
function batchWords(r: JobBatchResult): string {
  const who = `${PATH_WORDS[r.path]} (${r.name}, ${formatSeconds(r.lifetimeSeconds)} jobs)`;
  const c = r.jobsCaptured.value;
  const rec = r.eventsRecorded.value;
  const gen = r.eventsGenerated.value;
  const events = rec !== null && gen !== null && rec > 0 && rec < gen ? ` (${rec} of ${gen} events)` : '';
  const head =
    c === null
      ? `${who} unknown (${r.jobsCaptured.missing})`
      : `${who} captured ${c} of ${r.jobsRun.value}${events}`;
  const pg = r.pushgateway;
  if (!pg) return head;
  const served = pg.groupsServed.value;
  const up = pg.upAtCutOff.value;
  if (served === null || served === 0) return head;
  const ages =
    pg.stalenessSecondsMin.value !== null && pg.stalenessSecondsMax.value !== null
      ? `last pushed ${formatSeconds(pg.stalenessSecondsMin.value)} to ${formatSeconds(pg.stalenessSecondsMax.value)} before`
      : 'push ages unknown';
  const alerting = pg.groupsAlerting.value;
  const alertWords =
    alerting === null
      ? `the push_time_seconds alert unknown`
      : `an alert on time() - push_time_seconds > ${formatSeconds(pg.alertAfterSeconds)} fired for ${alerting} of them`;
  const alive =
    up === 1
      ? `every one of its ${served} groups still looked alive at the cut-off (up 1, ${ages})`
      : `${served} groups were still served at the cut-off (up ${up ?? 'unknown'}, ${ages})`;
  const renamed = pg.renamed?.oldGroupsServed.value
    ? `; after the rename to ${pg.renamed.newJob} the ${pg.renamed.oldGroupsServed.value} groups of ${pg.renamed.oldJob} still served their last ${pg.renamed.oldEventsServed.value ?? '?'} events`
    : '';
  return `${head} but ${alive}, and ${alertWords}${renamed}`;
}

/** "Short-lived jobs: pull direct captured 2 of 40, the Pushgateway 40 of 40 but ..., StatsD 40 of 40." */
export function jobsSentence(batches: readonly JobBatchResult[]): string {
  if (batches.length === 0) return 'No short-lived jobs ran in this run.';
  return `Short-lived jobs: ${batches.map(batchWords).join('; ')}.`;
}

/** The report's jobs section. */
export function assembleJobs(raw: RawJobs, spec: ExperimentSpec, experiment: string): ShortLivedJobs {
  const batches = (spec.jobs ?? []).map((b) =>
    batchResult(
      spec,
      b,
      raw.batches.find((x) => x.name === b.name),
      raw.ledgers,
      experiment,
    ),
  );
  return { batches, sentence: jobsSentence(batches) };
}

/** What the jobs of `path` handed to their collector, from their ledgers (the push arms' books add it). */
export function jobsSent(ledgers: readonly JobLedger[], path: 'statsd' | 'otlp'): number {
  return ledgers
    .filter((l) => l.path === path)
    .reduce((n, l) => n + (path === 'statsd' ? l.datagramsSent : l.pointsExported), 0);
}

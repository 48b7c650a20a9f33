/**
 * Reads what the collectors kept of the short-lived jobs (spec.jobs), for both runtimes: per batch the
 * events recorded per job (any path, one query), and for the Pushgateway at the cut-off each group's age
 * (`time() - push_time_seconds`), the counts it still serves, its `up` and the stale-group alert's
 * firings. Queries come from measure/queries.ts; measure/short-lived-jobs.ts turns this into the report.
 */
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { PUSHGATEWAY_STALE_ALERT, pushAgeExpression, pushgatewayJobNames } from '../collectors/liveness.ts';
import type { JobLedger } from '../loadgen/job-ledger.ts';
import { reading } from './collect.ts';
import type { Reading } from './inputs.ts';
import type { PromClient, PromSeries } from './prom-api.ts';
import {
  jobEventsRecordedQuery,
  pushgatewayAlertingQuery,
  pushgatewayServedQuery,
  pushgatewayUpQuery,
  type QueryScope,
  type QueryWindow,
} from './queries.ts';

/** What was read of one batch. */
export interface RawJobBatch {
  name: string;
  /** Per job_instance: the highest count the collector recorded in the window. */
  recorded: Reading<PromSeries[]>;
  /** pushgateway only: per group, `time() - push_time_seconds` at the cut-off. */
  pushAges?: Reading<PromSeries[]>;
  /** pushgateway only: per group, the count it still serves at the cut-off. */
  pushServed?: Reading<PromSeries[]>;
  pushgatewayUp?: Reading<number>;
  /** pushgateway only: groups the stale-group alert fired for at the cut-off. */
  alerting?: Reading<number>;
}

/** The raw material of the report's jobs section. */
export interface RawJobs {
  /** The ledgers the jobs wrote as they exited. */
  ledgers: JobLedger[];
  /** Jobs that left no ledger or never started, with the reason. */
  missing: string[];
  batches: RawJobBatch[];
}

const provenance = (client: PromClient, query: string) => `PromQL ${query} @ ${client.source}`;

function vector(
  client: PromClient,
  q: string,
  at: number,
  emptyIsAnswer: boolean,
): Promise<Reading<PromSeries[]>> {
  return reading(
    provenance(client, q),
    async () => {
      const r = await client.query(q, at);
      return r.length === 0 && !emptyIsAnswer ? null : r;
    },
    'the query returned no series',
  );
}

/** Reads every batch of the spec's jobs from the subject Prometheus. */
export async function collectJobs(o: {
  spec: ExperimentSpec;
  scope: QueryScope;
  subject: PromClient;
  /** From the fleet's start to the cut-off. */
  window: QueryWindow;
  ledgers: JobLedger[];
  missing: string[];
}): Promise<RawJobs> {
  const { subject, scope, window: w } = o;
  const batches: RawJobBatch[] = [];
  for (const b of o.spec.jobs ?? []) {
    // No series means no job of the batch was recorded at all: a count of zero, not a missing reading.
    const raw: RawJobBatch = {
      name: b.name,
      recorded: await vector(subject, jobEventsRecordedQuery(scope, b.name, w), w.at, true),
    };
    if (b.path === 'pushgateway') {
      const names = pushgatewayJobNames(b);
      raw.pushAges = await vector(subject, pushAgeExpression(scope.experiment, b), w.at, true);
      raw.pushServed = await vector(subject, pushgatewayServedQuery(scope, names), w.at, true);
      const up = pushgatewayUpQuery(scope);
      raw.pushgatewayUp = await reading(
        provenance(subject, up),
        async () => (await subject.query(up, w.at))[0]?.samples[0]?.[1] ?? null,
        'the subject Prometheus holds no up of the Pushgateway at the cut-off',
      );
      const alerting = pushgatewayAlertingQuery(scope, PUSHGATEWAY_STALE_ALERT, b.name);
      raw.alerting = await reading(
        provenance(subject, alerting),
        async () => (await subject.query(alerting, w.at))[0]?.samples[0]?.[1] ?? 0,
        'unreachable',
      );
    }
    batches.push(raw);
  }
  return { ledgers: o.ledgers, missing: o.missing, batches };
}

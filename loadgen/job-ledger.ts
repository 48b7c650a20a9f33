/**
 * A short-lived job's ledger: what one job (`pushpull job`) generated and how much of it it handed to its
 * path — served, pushed, sent or exported — counted by the job itself, written once as it exits (a file
 * locally, the termination message in a cluster). The report's capture rate divides what the collector
 * recorded by the sum of these `eventsGenerated`.
 */
import type { JobPath } from '../api/v1alpha1/schema.ts';

export const JOB_LEDGER_SCHEMA = 'pushpull.dev/job-ledger/v1';

export interface JobLedger {
  schema: typeof JOB_LEDGER_SCHEMA;
  batch: string;
  path: JobPath;
  index: number;
  /** The `job` label it reported under (the batch's name, or NAME-renamed). */
  jobName: string;
  instance: string;
  /** The process started / its path was ready and it began generating / it stopped generating / it exited. */
  startedAt: string;
  liveFrom: string | null;
  liveUntil: string | null;
  endedAt: string;
  eventsGenerated: number;
  /** pull-direct: /metrics requests answered while it lived. */
  scrapesServed: number;
  /** pushgateway: pushes the Pushgateway accepted / refused or failed. */
  pushesOk: number;
  pushesFailed: number;
  /** statsd: datagrams the kernel accepted / refused. */
  datagramsSent: number;
  sendErrors: number;
  /** otlp: exports that succeeded / failed, and the data points in the succeeded ones. */
  exportsOk: number;
  exportsFailed: number;
  pointsExported: number;
  /** Every error it met, in order (empty: none). */
  errors: string[];
}

/** A fresh ledger for one job. */
export function newJobLedger(
  fields: Pick<JobLedger, 'batch' | 'path' | 'index' | 'jobName' | 'instance' | 'startedAt'>,
): JobLedger {
  return {
    schema: JOB_LEDGER_SCHEMA,
    ...fields,
    liveFrom: null,
    liveUntil: null,
    endedAt: fields.startedAt,
    eventsGenerated: 0,
    scrapesServed: 0,
    pushesOk: 0,
    pushesFailed: 0,
    datagramsSent: 0,
    sendErrors: 0,
    exportsOk: 0,
    exportsFailed: 0,
    pointsExported: 0,
    errors: [],
  };
}

/** Parses one ledger (a file or a termination message); throws naming what is wrong. */
export function parseJobLedger(text: string, where: string): JobLedger {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const l = doc as Partial<JobLedger>;
  if (l?.schema !== JOB_LEDGER_SCHEMA) {
    throw new Error(`${where}: schema ${JSON.stringify(l?.schema)} is not ${JOB_LEDGER_SCHEMA}`);
  }
  if (typeof l.batch !== 'string' || typeof l.index !== 'number' || typeof l.eventsGenerated !== 'number') {
    throw new Error(`${where}: batch, index and eventsGenerated are required`);
  }
  return l as JobLedger;
}

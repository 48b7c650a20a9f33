import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec, JobBatch, JobPath } from '../api/v1alpha1/schema.ts';
import { type JobLedger, newJobLedger } from '../loadgen/job-ledger.ts';
import type { RawJobs } from './collect-jobs.ts';
import { assembleJobs, jobsSent } from './short-lived-jobs.ts';

const batch = (name: string, path: JobPath, over: Partial<JobBatch> = {}): JobBatch => ({
  name,
  path,
  count: 3,
  lifetimeSeconds: 0.8,
  eventsPerJob: 100,
  phase: 'open',
  offsetSeconds: 0,
  spreadSeconds: 0,
  maxConcurrent: 3,
  staleAfterSeconds: 10,
  ...over,
});
const spec = {
  arms: { pull: { scrapeIntervalSeconds: 10 }, statsd: {} },
  jobs: [
    batch('direct', 'pull-direct'),
    batch('pushed', 'pushgateway', { renameAfterJobs: 2 }),
    batch('sd', 'statsd'),
  ],
} as unknown as ExperimentSpec;

const ledger = (b: string, path: JobPath, index: number, extra: Partial<JobLedger> = {}): JobLedger => ({
  ...newJobLedger({
    batch: b,
    path,
    index,
    jobName: b,
    instance: `${b}-${index}`,
    startedAt: '2026-12-01T09:15:00Z',
  }),
  eventsGenerated: 100,
  ...extra,
});
const src = (q: string) => `PromQL ${q} @ subject`;
const perJob = (b: string, values: number[]) =>
  values.map((v, i) => ({
    labels: { job_instance: `${b}-${i}` },
    samples: [[1000, v]] as Array<[number, number]>,
  }));
const group = (job: string, instance: string, v: number) => ({
  labels: { job, instance },
  samples: [[1000, v]] as Array<[number, number]>,
});

const raw: RawJobs = {
  ledgers: [
    ...[0, 1, 2].map((i) => ledger('direct', 'pull-direct', i)),
    ...[0, 1, 2].map((i) => ledger('pushed', 'pushgateway', i)),
    ...[0, 1].map((i) => ledger('sd', 'statsd', i, { datagramsSent: 4 })),
  ],
  missing: ['job sd-2 (statsd) left no ledger'],
  batches: [
    { name: 'direct', recorded: { value: perJob('direct', [0, 40]), source: src('direct') } },
    {
      name: 'pushed',
      recorded: { value: perJob('pushed', [100, 100, 100]), source: src('pushed') },
      pushAges: {
        value: [
          group('pushed', 'pushed-0', 30),
          group('pushed', 'pushed-1', 20),
          group('pushed-renamed', 'pushed-2', 5),
        ],
        source: src('ages'),
      },
      pushServed: {
        value: [
          group('pushed', 'pushed-0', 100),
          group('pushed', 'pushed-1', 100),
          group('pushed-renamed', 'pushed-2', 100),
        ],
        source: src('served'),
      },
      pushgatewayUp: { value: 1, source: src('up') },
      alerting: { value: 2, source: src('alerts') },
    },
    // sd-2 also reached the collector, but left no ledger: it counts on neither side.
    { name: 'sd', recorded: { value: perJob('sd', [100, 100, 100]), source: src('sd') } },
  ],
};

describe('assembleJobs', () => {
  const report = assembleJobs(raw, spec, 'x');
  const by = (name: string) => report.batches.find((b) => b.name === name)!;

  it('divides the events the collector recorded by those the jobs generated, per batch', () => {
    assert.equal(by('direct').eventsGenerated.value, 300);
    assert.equal(by('direct').eventsRecorded.value, 40);
    assert.equal(by('direct').jobsCaptured.value, 1);
    assert.equal(by('direct').captureRate.value, 40 / 300);
    assert.equal(by('pushed').captureRate.value, 1);
  });

  it('counts only the jobs that left a ledger, and says so in the source', () => {
    const sd = by('sd');
    assert.equal(sd.jobsRun.value, 2);
    assert.equal(sd.eventsRecorded.value, 200);
    assert.equal(sd.captureRate.value, 1);
    assert.match(sd.eventsGenerated.source, /2 of 3 jobs left a ledger/);
  });

  it('reports the Pushgateway’s groups at the cut-off: up, ages, the alert and the renamed batch’s old groups', () => {
    const pg = by('pushed').pushgateway!;
    assert.equal(pg.groupsServed.value, 3);
    assert.equal(pg.upAtCutOff.value, 1);
    assert.equal(pg.stalenessSecondsMin.value, 5);
    assert.equal(pg.stalenessSecondsMax.value, 30);
    assert.equal(pg.groupsAlerting.value, 2);
    assert.equal(pg.renamed?.oldGroupsServed.value, 2);
    assert.equal(pg.renamed?.oldEventsServed.value, 200);
    assert.equal(by('direct').pushgateway, null);
  });

  it('answers in one sentence', () => {
    assert.equal(
      report.sentence,
      'Short-lived jobs: pull direct (direct, 800 ms jobs) captured 1 of 3 (40 of 300 events); the Pushgateway (pushed, 800 ms jobs) captured 3 of 3 but every one of its 3 groups still looked alive at the cut-off (up 1, last pushed 5 s to 30 s before), and an alert on time() - push_time_seconds > 10 s fired for 2 of them; after the rename to pushed-renamed the 2 groups of pushed still served their last 200 events; StatsD (sd, 800 ms jobs) captured 2 of 2.',
    );
  });

  it('leaves a figure null with the reason when its reading is missing', () => {
    const broken: RawJobs = {
      ...raw,
      batches: [{ name: 'direct', recorded: { value: null, source: src('direct'), missing: 'unreachable' } }],
    };
    const d = assembleJobs(broken, spec, 'x').batches[0]!;
    assert.equal(d.eventsRecorded.value, null);
    assert.equal(d.captureRate.value, null);
    assert.equal(d.captureRate.missing, 'unreachable');
  });
});

describe('jobsSent', () => {
  it('adds what the jobs of a push path sent, for the arm’s books', () => {
    assert.equal(jobsSent(raw.ledgers, 'statsd'), 8);
    assert.equal(jobsSent(raw.ledgers, 'otlp'), 0);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import { jobNameOf, jobsToStart, nextJobAtMs, planJobs, plannedJobKey } from './jobs.ts';

const T0 = Date.parse('2026-12-01T09:15:00Z');
const batch = (over: Record<string, unknown>) => ({
  path: 'pushgateway',
  count: 4,
  lifetimeSeconds: 0.8,
  eventsPerJob: 100,
  phase: 'open',
  offsetSeconds: 2,
  spreadSeconds: 8,
  maxConcurrent: 2,
  staleAfterSeconds: 10,
  ...over,
});
const spec = {
  load: {
    warmupSeconds: 0,
    phases: [
      { name: 'pre-open', durationSeconds: 10, eventsPerSecond: 10, rampSeconds: 0, symbols: 1 },
      { name: 'open', durationSeconds: 20, eventsPerSecond: 100, rampSeconds: 0, symbols: 1 },
    ],
  },
  collection: { drainSeconds: 2 },
  jobs: [
    batch({ name: 'cron', renameAfterJobs: 3 }),
    batch({ name: 'once', count: 1, phase: 'pre-open', path: 'otlp' }),
  ],
} as unknown as ExperimentSpec;
const timeline = buildTimeline(T0, spec);

describe('planJobs', () => {
  it('spreads a batch evenly from its phase start plus offset, in start order across batches', () => {
    assert.deepEqual(
      planJobs(spec, timeline).map((j) => [j.instance, j.atMs - T0, j.jobName]),
      [
        ['once-0', 2000, 'once'],
        ['cron-0', 12_000, 'cron'],
        ['cron-1', 14_000, 'cron'],
        ['cron-2', 16_000, 'cron'],
        ['cron-3', 18_000, 'cron-renamed'],
      ],
    );
  });

  it('renames from job renameAfterJobs on, and never without it', () => {
    assert.equal(jobNameOf({ name: 'a', renameAfterJobs: 1 }, 0), 'a');
    assert.equal(jobNameOf({ name: 'a', renameAfterJobs: 1 }, 1), 'a-renamed');
    assert.equal(jobNameOf({ name: 'a' }, 99), 'a');
  });
});

describe('jobsToStart', () => {
  const planned = planJobs(spec, timeline);
  it('starts the due jobs, never more of a batch than its maxConcurrent alive', () => {
    const due = jobsToStart(spec, planned, new Set(), new Map([['cron', 1]]), T0 + 20_000);
    assert.deepEqual(
      due.map((j) => j.instance),
      ['once-0', 'cron-0'],
    );
  });

  it('skips jobs started already and those not yet due, and says when the next is due', () => {
    const started = new Set(planned.slice(0, 2).map(plannedJobKey));
    assert.deepEqual(
      jobsToStart(spec, planned, started, new Map(), T0 + 14_000).map((j) => j.instance),
      ['cron-1'],
    );
    assert.equal(nextJobAtMs(planned, started), T0 + 14_000);
    assert.equal(nextJobAtMs(planned, new Set(planned.map(plannedJobKey))), null);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { newJobLedger } from '../loadgen/job-ledger.ts';
import { jobLedgersFromPods } from './job-ledgers.ts';
import type { KubeObject } from './render/types.ts';

const spec = { jobs: [{ name: 'cron', count: 4 }] } as unknown as ExperimentSpec;
const pod = (index: number, terminated?: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `x-job-cron-${index}-abc`,
      labels: { 'pushpull.dev/job-batch': 'cron', 'batch.kubernetes.io/job-completion-index': String(index) },
    },
    status: { containerStatuses: [{ state: terminated ? { terminated } : { running: {} } }] },
  }) as unknown as KubeObject;
const ledger = (index: number) =>
  JSON.stringify({
    ...newJobLedger({
      batch: 'cron',
      path: 'pushgateway',
      index,
      jobName: 'cron',
      instance: `cron-${index}`,
      startedAt: '2026-12-01T09:15:00Z',
    }),
    eventsGenerated: 100,
  });

test('reads each ended job pod’s ledger from its termination message, and names what is missing', () => {
  const { ledgers, missing } = jobLedgersFromPods(spec, [
    pod(1, { exitCode: 0, message: ledger(1) }),
    pod(0, { exitCode: 0, message: ledger(0) }),
    pod(2, { exitCode: 137, reason: 'OOMKilled' }),
  ]);
  assert.deepEqual(
    ledgers.map((l) => [l.instance, l.eventsGenerated]),
    [
      ['cron-0', 100],
      ['cron-1', 100],
    ],
  );
  assert.deepEqual(missing, [
    'job cron-2 (pod x-job-cron-2-abc) ended (OOMKilled) without a ledger',
    'batch cron: no pod of job(s) cron-3 was found',
  ]);
});

test('a job still running at the cut-off has no ledger yet, and says so', () => {
  const { missing } = jobLedgersFromPods({ jobs: [] } as unknown as ExperimentSpec, [pod(0)]);
  assert.match(missing[0]!, /had not ended at the cut-off/);
});

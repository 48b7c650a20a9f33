/**
 * A sweep on the dev control plane (kwok nodes): the operator runs spec.sweep as step experiments, one at
 * a time (the next is created only after the previous one's report exists), each at the grown load with
 * its own report ConfigMap, and ends with the capacity report and the one-sentence answer in status.
 * kwok pods run nothing, so every step's report says what is missing — the collectors' use among it,
 * with the reason — and no arm fails: the sweep ends when its steps run out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../report/types.ts';
import type { CapacityReport } from '../../sweep/plan.ts';
import { reportTextFrom } from '../report-configmap.ts';
import { DevEnv, type OperatorProcess, waitFor } from '../testing/dev-env.ts';
import type { SweepParentStatus } from './reconcile-sweep.ts';

const X = { apiVersion: 'pushpull.dev/v1alpha1', kind: 'PushPullExperiment' };
const NS = 'sweep';

describe('a sweep on a real control plane', { timeout: 10 * 60_000 }, () => {
  let env: DevEnv;
  let operator: OperatorProcess;
  let failed = false;

  before(async () => {
    env = await DevEnv.start();
    operator = await env.startOperator();
  });
  after(async () => {
    if (failed && env) process.stderr.write(`${await env.evidence(NS)}\n`);
    if (operator) await env?.stopOperator(operator);
    await env?.stop();
  });

  test('steps run one at a time at the grown load; the capacity report ends it', async () => {
    try {
      await env.createNamespace(NS);
      await env.kube.apply({
        ...X,
        metadata: { name: 'burst', namespace: NS },
        spec: {
          fleet: { producers: 2, producersPerProcess: 2 },
          load: {
            warmupSeconds: 2,
            phases: [{ name: 'open', durationSeconds: 2, eventsPerSecond: 40, symbols: 2 }],
          },
          arms: { statsd: {} },
          collection: { drainSeconds: 1 },
          sweep: { factor: 3, maxSteps: 2, maxSeconds: 900 },
        },
      });
      const status = await waitFor(
        'the sweep to end',
        async () => {
          const s = (await env.kube.get({ ...X, namespace: NS, name: 'burst' }))?.status as
            | SweepParentStatus
            | undefined;
          return s?.phase === 'Succeeded' || s?.phase === 'Failed' ? s : undefined;
        },
        8 * 60_000,
      );
      assert.equal(status.phase, 'Succeeded', status.message);
      assert.equal(status.sweep?.steps.length, 2);
      assert.match(
        status.verdict ?? '',
        /No arm failed as load grew: StatsD held to 3× — 2 of 2 step\(s\) read, the 2 step\(s\) of the plan ran out\./,
      );

      const steps = await Promise.all(
        [1, 2].map((i) => env.kube.get({ ...X, namespace: NS, name: `burst-step-${i}` })),
      );
      const rates = steps.map(
        (s) =>
          (s!.spec as { load: { phases: Array<{ eventsPerSecond: number }> } }).load.phases[0]!
            .eventsPerSecond,
      );
      assert.deepEqual(rates, [40, 120], 'each step at its multiplier of the load');
      const reports = await Promise.all(
        [1, 2].map((i) =>
          env.kube.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: NS,
            name: `burst-step-${i}-report`,
          }),
        ),
      );
      assert.ok(reports.every(Boolean), 'each step kept its report ConfigMap');
      assert.ok(
        Date.parse(steps[1]!.metadata.creationTimestamp!) >=
          Date.parse(reports[0]!.metadata.creationTimestamp!),
        'step 2 was created only after step 1 had its report',
      );
      const first = JSON.parse(reportTextFrom(reports[0] as never)!) as Report;
      const statsd = first.collectors?.find((c) => c.collector === 'statsd');
      assert.equal(statsd?.cpuUsedSeconds.value, null);
      assert.match(
        statsd?.cpuUsedSeconds.missing ?? '',
        /--kubelet-relay-address/,
        'kwok: the reason is named',
      );

      const cm = await env.kube.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: NS,
        name: 'burst-capacity',
      });
      const capacity = JSON.parse(
        (cm as { data: Record<string, string> }).data['capacity.json']!,
      ) as CapacityReport;
      assert.deepEqual(
        capacity.steps.map((s) => [s.multiplier, s.report]),
        [
          [1, 'burst-step-1-report'],
          [3, 'burst-step-2-report'],
        ],
      );
      assert.equal(capacity.sentence, status.verdict);
      assert.match((cm as { data: Record<string, string> }).data['capacity.md']!, /burst/);
    } catch (err) {
      failed = true;
      throw err;
    }
  });
});

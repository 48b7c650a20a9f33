/**
 * PushPullSchedule against a real control plane (devcluster/: etcd, kube-apiserver, controller-manager,
 * scheduler, kwok): malformed schedules are rejected at apply time naming the field (bad cron, unknown
 * time zone, a template that breaks the experiment's schema or its CEL rules), and what only the
 * operator can judge gets a SpecValid=False condition and an Event; a schedule every minute creates one
 * experiment per tick, keeps historyLimit finished ones, deletes older ones but keeps their reports,
 * and `kubectl get` (the apiserver's Table) shows its columns. kwok pods run no processes, so each run's
 * report lists what is missing; each compared run's own report ConfigMap carries its comparison (with the
 * previous run, with a pinned baseline) and `pushpull report` prints it. The Regressed logic is unit-tested on
 * recorded reports (plan.test.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createKubeApi } from '../../kube/client.ts';
import { ANSWER_LABELS } from '../../report/format.ts';
import { parseReport } from '../../report/parse-report.ts';
import type { Report, VerdictAnswer } from '../../report/types.ts';
import { ApiError } from '../k8s/port.ts';
import { EXPERIMENT_LABEL } from '../render/names.ts';
import type { KubeObject } from '../render/types.ts';
import { reportTextFrom } from '../report-configmap.ts';
import { findCondition } from '../status/conditions.ts';
import { DevEnv, waitFor } from '../testing/dev-env.ts';
import { ACTIVE, REGRESSED, SCHEDULE_VALID } from './conditions.ts';
import { SCHEDULE_LABEL } from './names.ts';
import type { ScheduleStatusFull } from './plan.ts';

const REPO = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const S = { apiVersion: 'pushpull.dev/v1alpha1', kind: 'PushPullSchedule' };
const X = { apiVersion: 'pushpull.dev/v1alpha1', kind: 'PushPullExperiment' };

/** A short experiment on one arm: warm-up, two 2-second phases, a 1-second drain. */
function template(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spec: {
      fleet: { producers: 2, producersPerProcess: 2 },
      load: {
        warmupSeconds: 2,
        phases: [
          { name: 'pre-open', durationSeconds: 2, eventsPerSecond: 10, symbols: 2 },
          { name: 'open', durationSeconds: 2, eventsPerSecond: 100, symbols: 4 },
        ],
      },
      arms: { pull: {} },
      collection: { drainSeconds: 1 },
      ...over,
    },
  };
}

function schedule(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { ...S, metadata: { name, namespace }, spec: { template: template(), ...spec } };
}

describe('PushPullSchedule on a real control plane', { timeout: 10 * 60_000 }, () => {
  let env: DevEnv;
  let failed = false;
  const namespaces: string[] = [];

  before(async () => {
    env = await DevEnv.start();
    await env.startOperator();
  });
  after(async () => {
    if (failed && env) for (const ns of namespaces) process.stderr.write(`${await env.evidence(ns)}\n`);
    await env?.stop();
  });
  async function guard(ns: string, body: () => Promise<void>): Promise<void> {
    namespaces.push(ns);
    await env.createNamespace(ns);
    try {
      await body();
    } catch (err) {
      failed = true;
      throw err;
    }
  }
  /** What `kubectl get` prints: the apiserver's Table of a resource, its column names and cells. */
  async function printed(ns: string, plural: string): Promise<{ columns: string[]; rows: unknown[][] }> {
    const api = createKubeApi({ kubeconfig: env.cluster.kubeconfigPath });
    try {
      const res = await api.request('GET', `/apis/pushpull.dev/v1alpha1/namespaces/${ns}/${plural}`, {
        headers: { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' },
        timeoutMs: 10_000,
      });
      const table = JSON.parse(res.text) as {
        columnDefinitions: Array<{ name: string }>;
        rows: Array<{ cells: unknown[] }>;
      };
      return { columns: table.columnDefinitions.map((c) => c.name), rows: table.rows.map((r) => r.cells) };
    } finally {
      api.close();
    }
  }
  /** The report in an experiment's report ConfigMap, as `pushpull report NAME` reads it. */
  async function reportOf(ns: string, experiment: string): Promise<Report> {
    const cm = await env.kube.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns,
      name: `${experiment}-report`,
    });
    const text = cm ? reportTextFrom(cm as { data?: Record<string, string> }) : undefined;
    assert.ok(text, `ConfigMap ${experiment}-report holds a report`);
    return parseReport(text, `ConfigMap ${experiment}-report`);
  }
  const statusOf = async (ns: string, name: string) =>
    (await env.kube.get({ ...S, namespace: ns, name }))?.status as ScheduleStatusFull | undefined;

  test('malformed schedules are rejected at apply time, naming the field', async () => {
    await guard('bad-schedules', async () => {
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ['a minute out of range', { schedule: '61 * * * *' }, /spec\.schedule/],
        ['four fields', { schedule: '* * * *' }, /spec\.schedule/],
        ['an unknown time zone', { schedule: '@daily', timeZone: 'Mars/Olympus_Mons' }, /spec\.timeZone/],
        [
          'a template the experiment schema rejects',
          { schedule: '@daily', template: template({ scale: 3 }) },
          /spec\.template\.spec\.scale/,
        ],
        [
          "a template that breaks the experiment's CEL rule",
          {
            schedule: '@daily',
            template: template({ arms: { pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 9 } } }),
          },
          /spec\.template\.spec\.arms\.pull\.scrapeTimeoutSeconds/,
        ],
        [
          'an expectation on an arm the template does not run',
          {
            schedule: '@daily',
            template: template({ expect: [{ figure: 'statsd.lossRatio', op: '<=', threshold: 0.001 }] }),
          },
          /spec\.template\.spec\.expect/,
        ],
      ];
      for (const [label, spec, message] of cases) {
        await assert.rejects(env.kube.create(schedule('bad-schedules', 'x', spec)), (err: unknown) => {
          assert.ok(err instanceof ApiError, `${label}: ${String(err)}`);
          assert.ok([400, 422].includes(err.statusCode), `${label}: ${err.message}`);
          assert.match(err.message, message, label);
          return true;
        });
      }
    });
  });

  test('what only the operator can judge (a backwards range) is a SpecValid=False condition and an Event', async () => {
    await guard('backwards', async () => {
      await env.kube.create(schedule('backwards', 'b', { schedule: '30-10 * * * *' }));
      const status = await waitFor(
        'SpecValid=False',
        async () => {
          const s = await statusOf('backwards', 'b');
          return findCondition(s?.conditions, SCHEDULE_VALID)?.status === 'False' ? s : undefined;
        },
        30_000,
      );
      assert.match(
        findCondition(status.conditions, SCHEDULE_VALID)!.message,
        /spec\.schedule: field 1 \(minute\) "30-10": the range 30-10 runs backwards/,
      );
      const events = await env.kube.list('v1', 'Event', 'backwards');
      assert.ok(
        events.items.some((e) => e.reason === 'InvalidSpec'),
        'an InvalidSpec Event',
      );
      assert.equal((await env.kube.list(X.apiVersion, X.kind, 'backwards')).items.length, 0);
    });
  });

  test('every minute: one experiment per tick, historyLimit kept, older deleted with reports kept', async () => {
    const ns = 'nightly';
    await guard(ns, async () => {
      await env.kube.create(schedule(ns, 'every-minute', { schedule: '* * * * *', historyLimit: 1 }));
      // Three ticks: the third run's arrival means two finished before it, one past the limit.
      const seen = new Set<string>();
      const status = await waitFor(
        'three runs and the first one pruned',
        async () => {
          const s = await statusOf(ns, 'every-minute');
          if (s?.lastRun) seen.add(s.lastRun);
          const finished = (s?.history ?? []).filter((h) => h.result !== 'Running');
          return seen.size >= 3 && finished.length === 1 ? s : undefined;
        },
        5 * 60_000,
        1000,
      );
      const names = [...seen].sort();
      assert.match(names[0]!, /^every-minute-\d{8}-\d{4}$/);
      const live = (await env.kube.list(X.apiVersion, X.kind, ns, `${SCHEDULE_LABEL}=every-minute`)).items;
      const liveNames = live.filter((x) => !x.metadata.deletionTimestamp).map((x) => x.metadata.name);
      assert.ok(!liveNames.includes(names[0]!), `${names[0]} was deleted (historyLimit 1): ${liveNames}`);
      for (const x of live) assert.equal(x.metadata.ownerReferences?.[0]?.kind, 'PushPullSchedule');
      // The deleted run's report is kept, now owned by the schedule.
      const kept = await waitFor(
        `the report of ${names[0]} kept`,
        async () => {
          const cm = await env.kube.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: ns,
            name: `${names[0]}-report`,
          });
          return cm?.metadata.ownerReferences?.[0]?.kind === 'PushPullSchedule' ? cm : undefined;
        },
        60_000,
      );
      assert.equal(kept.metadata.labels?.[SCHEDULE_LABEL], 'every-minute');
      assert.equal(kept.metadata.labels?.[EXPERIMENT_LABEL], names[0]);
      assert.equal(status.lastResult, 'NoExpectations');
      assert.ok(status.lastVerdict, 'the newest finished run has a verdict');
      assert.ok(
        status.nextScheduleTime && Date.parse(status.nextScheduleTime) > Date.parse(status.lastScheduleTime!),
      );
      assert.ok(findCondition(status.conditions, ACTIVE));
      const regressed = findCondition(status.conditions, REGRESSED);
      assert.equal(regressed?.status, 'False', regressed?.message);
      assert.match(regressed!.message, /no threshold breached/);
      // The newest compared run's own report carries the comparison with the run before it.
      const compared = status.comparison as { newest: string; previous: string };
      const [c] = (await reportOf(ns, compared.newest)).comparisons ?? [];
      assert.deepEqual(c?.against, {
        kind: 'previous',
        name: compared.previous,
        configMap: `${compared.previous}-report`,
      });
      assert.equal(c.regressed, false);
      assert.deepEqual(c.breaches, []);
      const verdictRow = c.rows.find((r) => r.key === 'verdict.answer');
      assert.equal(verdictRow?.threshold, 'must not change');
      assert.equal(verdictRow?.regressed, false);
      const events = (await env.kube.list('v1', 'Event', ns)).items.map((e) => String(e.reason));
      for (const reason of ['RunCreated', 'RunFinished', 'HistoryPruned'])
        assert.ok(events.includes(reason), reason);

      // `kubectl get pps`: the apiserver's Table has the printer columns, filled in.
      const table = await printed(ns, 'pushpullschedules');
      assert.deepEqual(table.columns, [
        'Name',
        'Schedule',
        'Suspend',
        'Last Run',
        'Last Verdict',
        'Last Result',
        'Regressed',
        'Age',
      ]);
      const row = table.rows[0]!;
      assert.equal(row[1], '* * * * *');
      assert.equal(row[5], 'NoExpectations');
      assert.equal(row[6], 'False');

      // `pushpull history`: the trend over the kept runs, the deleted run's report included.
      const history = await run(process.execPath, [
        join(REPO, 'bin/pushpull.js'),
        'history',
        'every-minute',
        '--namespace',
        ns,
        '--kubeconfig',
        env.cluster.kubeconfigPath,
      ]);
      assert.match(history.stdout, /^run +started +verdict +expectations/);
      assert.match(
        history.stdout,
        new RegExp(
          `\\n${names[0]} +\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} +${ANSWER_LABELS[status.lastVerdict as VerdictAnswer]} +— `,
        ),
      );
      assert.match(history.stdout, /No run regressed against the one before it\./);

      // Cleanup policy: the kept run finished without expectations, so its workload goes; the report stays.
      const keptRun = status.history!.find((h) => h.result !== 'Running')!;
      await waitFor(
        `the workload of ${keptRun.name} deleted`,
        async () => {
          const sets = await env.kube.list(
            'apps/v1',
            'StatefulSet',
            ns,
            `${EXPERIMENT_LABEL}=${keptRun.name}`,
          );
          return sets.items.length === 0 ? true : undefined;
        },
        60_000,
      );
      assert.ok(
        await env.kube.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: ns,
          name: `${keptRun.name}-report`,
        }),
      );
    });
  });

  test('a run whose expectation is not met is Passed=False, NotPassed, keeps its workload, and regresses against the baseline', async () => {
    const ns = 'strict';
    await guard(ns, async () => {
      // A pinned baseline: a recorded report of a run where nothing failed (verdict: the same).
      const gold = readFileSync(join(REPO, 'report/testdata/no-stress.golden.json'), 'utf8');
      await env.kube.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'gold-report', namespace: ns },
        data: { 'report.json': gold },
      });
      // kwok pods serve no /metrics, so this figure is missing: not a pass.
      const strict = template({ expect: [{ figure: 'pull.upZeroSamples', op: '==', threshold: 0 }] });
      await env.kube.create(
        schedule(ns, 'strict', {
          schedule: '* * * * *',
          template: strict,
          regression: { baseline: 'gold-report' },
        }),
      );
      const status = await waitFor(
        'the first run to finish',
        async () => {
          const s = await statusOf(ns, 'strict');
          return s?.lastResult ? s : undefined;
        },
        3 * 60_000,
        1000,
      );
      assert.equal(status.lastResult, 'NotPassed');
      const name = status.history!.find((h) => h.result === 'NotPassed')!.name;
      const x = await env.kube.get({ ...X, namespace: ns, name });
      assert.ok(x, name);
      const passed = findCondition((x.status as { conditions?: [] } | undefined)?.conditions, 'Passed');
      assert.equal(passed?.status, 'False');
      assert.equal(passed?.reason, 'FiguresMissing');
      assert.match(passed!.message, /pull\.upZeroSamples == 0: MISSING \(/);
      const events = (await env.kube.list('v1', 'Event', ns)).items.map((e) => String(e.reason));
      assert.ok(events.includes('RunNotPassed'), events.join(', '));
      // Worse than the baseline: kwok's run cannot answer the question the baseline answered.
      const regressed = findCondition(status.conditions, REGRESSED);
      assert.equal(regressed?.status, 'True', regressed?.message);
      assert.match(
        regressed!.message,
        new RegExp(
          `^${name} against the baseline gold-report: baseline gold-report: the verdict changed from the same to `,
        ),
      );
      assert.ok(events.includes('Regressed'), events.join(', '));
      // The run's own report says against what, each figure's two values, threshold and outcome.
      const [c] = (await reportOf(ns, name)).comparisons ?? [];
      assert.deepEqual(c?.against, { kind: 'baseline', name: 'gold-report', configMap: 'gold-report' });
      assert.equal(c.regressed, true);
      const verdictRow = c.rows.find((r) => r.key === 'verdict.answer')!;
      assert.equal(verdictRow.a, ANSWER_LABELS['the-same']);
      assert.equal(verdictRow.threshold, 'must not change');
      assert.equal(verdictRow.regressed, true);
      assert.deepEqual(
        c.breaches.map((b) => `baseline gold-report: ${b}`),
        regressed!.message.slice(regressed!.message.indexOf(': ') + 2).split('; '),
      );
      // `pushpull report NAME` prints it.
      const md = await run(process.execPath, [
        join(REPO, 'bin/pushpull.js'),
        'report',
        name,
        '--namespace',
        ns,
        '--kubeconfig',
        env.cluster.kubeconfigPath,
        '--format',
        'md',
      ]);
      assert.match(md.stdout, /## Compared with earlier runs/);
      assert.match(
        md.stdout,
        /\*\*Regressed against the pinned baseline, gold-report \(report gold-report, compared /,
      );
      // `kubectl get ppx`: the Passed column.
      const experiments = await printed(ns, 'pushpullexperiments');
      const passedColumn = experiments.columns.indexOf('Passed');
      assert.ok(passedColumn > 0, experiments.columns.join(', '));
      assert.equal(experiments.rows.find((r) => r[0] === name)?.[passedColumn], 'False');
      // Kept for inspection: a few seconds later the workload is still there.
      await new Promise((r) => setTimeout(r, 5000));
      const sets = await env.kube.list('apps/v1', 'StatefulSet', ns, `${EXPERIMENT_LABEL}=${name}`);
      assert.equal(sets.items.length, 1, 'the producers of the run that did not pass are kept');
      assert.equal((x.spec as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished, undefined);
    });
  });
});

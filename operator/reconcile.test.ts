/**
 * The reconcile logic over an in-memory port and an injected clock: the whole course of an experiment,
 * the no-op pass that writes nothing, an invalid spec, and the finalizer. The same flows run against a
 * real API server in reconcile.itest.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { Report } from '../report/types.ts';
import type { CollectReportFn } from './collect/collect-report.ts';
import type { Reach } from './reach.ts';
import { FINALIZER, type ReconcileDeps, reconcile } from './reconcile.ts';
import type { KubeObject } from './render/types.ts';
import type { OperatorStatus } from './status/types.ts';
import { FakeKube } from './testing/fake-kube.ts';
import { testReconcileDeps } from './testing/fixtures.ts';
import { DEFAULT_TIMELINE_OPTIONS } from './timeline/timeline.ts';

const T0 = Date.parse('2026-11-26T09:00:00Z');
const NS = 'rehearsal';
const input = readFileSync(
  join(import.meta.dirname, 'render/testdata/inputs/three-arms-partial.yaml'),
  'utf8',
);

function experiment(spec: unknown = (parse(input) as { spec: unknown }).spec): KubeObject {
  return {
    apiVersion: 'pushpull.dev/v1alpha1',
    kind: 'PushPullExperiment',
    metadata: {
      name: 'three-arms',
      namespace: NS,
      generation: 1,
      creationTimestamp: new Date(T0).toISOString(),
    },
    spec,
  };
}

function fakeReport(): Report {
  return {
    verdict: {
      answer: 'push-harder',
      perPushArm: {},
      sentence: 'statsd lost data first',
      firstFailure: null,
      evidence: [],
    },
    arms: {},
    signals: [{ arm: 'statsd', kind: 'kernel-udp-drop' }],
    run: { missing: ['no 100 ms series'] },
  } as unknown as Report;
}

describe('reconcile', () => {
  let kube: FakeKube;
  let now: number;
  let started: string[];
  let collected: number;
  let deps: ReconcileDeps;

  beforeEach(() => {
    kube = new FakeKube();
    now = T0;
    started = [];
    collected = 0;
    const reach: Reach = {
      startProducer: async (pod, startAt) => {
        started.push(`${pod.name}@${startAt}`);
      },
      hangProducer: async () => {},
      ledger: async () => ({}),
      prometheus: () => ({ source: 'none', query: async () => [] }),
    };
    const collect: CollectReportFn = async () => {
      collected++;
      return fakeReport();
    };
    deps = testReconcileDeps({ kube, reach, collect, now: () => now });
    kube.put(experiment());
  });

  const status = () => kube.find('PushPullExperiment', NS, 'three-arms')?.status as OperatorStatus;
  const markPodsReady = () => kube.markPodsReady(NS);

  test('the first pass adds the finalizer, applies every object and waits for the pods', async () => {
    const result = await reconcile(`${NS}/three-arms`, deps);
    const x = kube.find('PushPullExperiment', NS, 'three-arms')!;
    assert.deepEqual(x.metadata.finalizers, [FINALIZER]);
    assert.equal(kube.writes.filter((w) => w.startsWith('apply')).length, 22);
    assert.equal(status().phase, 'WaitingReady');
    assert.equal(status().pods, '0/13', '9 producer processes and 4 collectors');
    assert.equal(result.requeueAfterMs, DEFAULT_TIMELINE_OPTIONS.readyPollMs);
    assert.deepEqual(
      kube.events.map((e) => e.reason),
      ['WaitingReady'],
    );
  });

  test('a second pass over an unchanged world makes no API write', async () => {
    await reconcile(`${NS}/three-arms`, deps);
    kube.writes.length = 0;
    now += 1000;
    await reconcile(`${NS}/three-arms`, deps);
    assert.deepEqual(kube.writes, []);
  });

  test('an experiment runs its whole course: start, phases, collect, TTL cleanup keeping the report', async () => {
    await reconcile(`${NS}/three-arms`, deps);
    markPodsReady();
    now += 2000;
    let r = await reconcile(`${NS}/three-arms`, deps);
    const startAt = now + 5000;
    assert.equal(status().phase, 'Running');
    assert.equal(status().startAt, new Date(startAt).toISOString());
    assert.equal(started.length, 9, 'every producer process of the three arms');
    assert.equal(status().startDelivered?.length, 9);
    const phases: string[] = [];
    for (let i = 0; i < 10 && status().phase !== 'Succeeded'; i++) {
      now += r.requeueAfterMs ?? 0;
      r = await reconcile(`${NS}/three-arms`, deps);
      phases.push(`${status().phase}/${status().currentPhase ?? '-'}`);
    }
    assert.deepEqual(phases, ['Running/pre-open', 'Running/open', 'Draining/-', 'Succeeded/-']);
    assert.equal(started.length, 9, 'the start is delivered once per pod');
    assert.equal(collected, 1);
    assert.equal(status().verdict, 'statsd lost data first');
    assert.equal(status().arms, '');
    assert.ok(kube.find('ConfigMap', NS, 'three-arms-report'));

    assert.equal(r.requeueAfterMs, 600_050);
    now += r.requeueAfterMs!;
    r = await reconcile(`${NS}/three-arms`, deps);
    assert.equal(kube.find('StatefulSet', NS, 'three-arms-producer-pull'), undefined);
    assert.equal(kube.find('Deployment', NS, 'three-arms-prometheus'), undefined);
    assert.ok(kube.find('ConfigMap', NS, 'three-arms-report'), 'the report outlives the TTL');
    assert.equal(status().phase, 'Succeeded');
    assert.equal(r.requeueAfterMs, undefined);
    kube.writes.length = 0;
    await reconcile(`${NS}/three-arms`, deps);
    assert.deepEqual(kube.writes, [], 'nothing is re-created after cleanup');
  });

  test('a game day kills its producer pods once, at the fault, with no grace, and hands the fault to collect', async () => {
    const spec = (parse(input) as { spec: Record<string, unknown> }).spec;
    kube.put(
      experiment({
        ...spec,
        faults: [{ kind: 'kill', arm: 'pull', phase: 'open', offsetSeconds: 1, producers: 1 }],
      }),
    );
    let faultsSeen: unknown;
    deps.collect = async (input) => {
      faultsSeen = input.faults;
      return fakeReport();
    };
    await reconcile(`${NS}/three-arms`, deps);
    markPodsReady();
    now += 2000;
    let r = await reconcile(`${NS}/three-arms`, deps);
    const deletions = () => kube.writes.filter((w) => w.startsWith('delete Pod/'));
    for (let i = 0; i < 12 && status().phase !== 'Succeeded'; i++) {
      now += r.requeueAfterMs ?? 0;
      r = await reconcile(`${NS}/three-arms`, deps);
    }
    // 7 producers at 3 per process: the last process (index 2) hosts p0006.
    assert.deepEqual(deletions(), ['delete Pod/three-arms-producer-pull-2']);
    assert.deepEqual(
      status().faultsApplied?.map((f) => [f.index, f.producers, f.pods]),
      [[0, ['p0006'], ['three-arms-producer-pull-2']]],
    );
    const open = Date.parse(status().startAt!) + 10_000;
    assert.ok(Date.parse(status().faultsApplied![0]!.at) >= open + 1000, 'not before its instant');
    assert.deepEqual(
      (faultsSeen as Array<{ kind: string; arm: string; producers: string[] }>).map((f) => [
        f.kind,
        f.arm,
        f.producers,
      ]),
      [['kill', 'pull', ['p0006']]],
    );
  });

  test('short-lived jobs: one Indexed Job per batch once startAt is fixed, its pods outside readiness, their ledgers to collect', async () => {
    const spec = (parse(input) as { spec: Record<string, unknown> }).spec;
    kube.put(
      experiment({
        ...spec,
        jobs: [
          {
            name: 'cron',
            path: 'pushgateway',
            count: 2,
            lifetimeSeconds: 0.8,
            phase: 'open',
            offsetSeconds: 1,
          },
        ],
      }),
    );
    let jobsSeen: unknown;
    deps.collect = async (input) => {
      jobsSeen = input.jobs;
      return fakeReport();
    };
    await reconcile(`${NS}/three-arms`, deps);
    const jobs = () => [...kube.objects.values()].filter((o) => o.kind === 'Job');
    assert.deepEqual(jobs(), [], 'no Job before startAt is fixed');
    markPodsReady();
    now += 2000;
    let r = await reconcile(`${NS}/three-arms`, deps);
    const job = jobs()[0]!;
    assert.equal(job.metadata.name, 'three-arms-job-cron');
    const args = (job.spec as { template: { spec: { containers: Array<{ args: string[] }> } } }).template.spec
      .containers[0]!.args;
    const open = Date.parse(status().startAt!) + 10_000;
    assert.equal(args[args.indexOf('--start-at') + 1], new Date(open + 1000).toISOString());
    // A job pod that ended, with its ledger as termination message; it is no producer and not in readiness.
    const ledger = JSON.stringify({
      schema: 'pushpull.dev/job-ledger/v1',
      batch: 'cron',
      path: 'pushgateway',
      index: 0,
      jobName: 'cron',
      instance: 'cron-0',
      eventsGenerated: 100,
    });
    kube.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'three-arms-job-cron-0-x',
        namespace: NS,
        labels: {
          'pushpull.dev/experiment': 'three-arms',
          'app.kubernetes.io/component': 'job',
          'pushpull.dev/job-batch': 'cron',
          'batch.kubernetes.io/job-completion-index': '0',
        },
      },
      status: { containerStatuses: [{ state: { terminated: { exitCode: 0, message: ledger } } }] },
    });
    const pods = status().pods;
    for (let i = 0; i < 12 && status().phase !== 'Succeeded'; i++) {
      now += r.requeueAfterMs ?? 0;
      r = await reconcile(`${NS}/three-arms`, deps);
    }
    assert.equal(status().pods, pods, 'the job pod is not counted');
    assert.deepEqual(jobsSeen, {
      ledgers: [JSON.parse(ledger)],
      missing: ['batch cron: no pod of job(s) cron-1 was found'],
    });
    assert.equal(jobs().length, 1);
  });

  test('a producer pod replaced during the run is named as died in what collect gets', async () => {
    let seen: Array<{ name: string; died?: { detail: string } }> = [];
    deps.collect = async (input) => {
      seen = input.producers;
      return fakeReport();
    };
    await reconcile(`${NS}/three-arms`, deps);
    markPodsReady();
    for (const o of [...kube.objects.values()].filter((o) => o.kind === 'Pod')) {
      kube.put({ ...o, metadata: { ...o.metadata, uid: `uid-${o.metadata.name}` } });
    }
    now += 2000;
    let r = await reconcile(`${NS}/three-arms`, deps);
    // The StatefulSet's controller replaces a deleted pod: same name, a new UID that never got startAt.
    const victim = kube.find('Pod', NS, 'three-arms-producer-statsd-1')!;
    kube.put({
      ...victim,
      metadata: {
        ...victim.metadata,
        uid: 'uid-replacement',
        creationTimestamp: new Date(now + 12_000).toISOString(),
      },
    });
    for (let i = 0; i < 12 && status().phase !== 'Succeeded'; i++) {
      now += r.requeueAfterMs ?? 0;
      r = await reconcile(`${NS}/three-arms`, deps);
    }
    const died = seen.filter((p) => p.died).map((p) => p.name);
    assert.deepEqual(died, ['three-arms-producer-statsd-1']);
    assert.match(seen.find((p) => p.died)!.died!.detail, /replaced during the run/);
  });

  test('an invalid spec fails with the validation message and applies nothing', async () => {
    kube.put(experiment({ ...(parse(input) as { spec: Record<string, unknown> }).spec, scale: 3 }));
    await reconcile(`${NS}/three-arms`, deps);
    assert.equal(status().phase, 'Failed');
    assert.match(status().message ?? '', /InvalidSpec: .*spec\.scale/);
    assert.equal(kube.writes.filter((w) => w.startsWith('apply')).length, 0);
    assert.equal(kube.events.at(-1)?.type, 'Warning');
  });

  test('deleting the experiment deletes the workload and releases the finalizer', async () => {
    await reconcile(`${NS}/three-arms`, deps);
    const x = kube.find('PushPullExperiment', NS, 'three-arms')!;
    kube.put({ ...x, metadata: { ...x.metadata, deletionTimestamp: new Date(now).toISOString() } });
    await reconcile(`${NS}/three-arms`, deps);
    assert.equal(kube.find('PushPullExperiment', NS, 'three-arms'), undefined);
    assert.equal(kube.find('StatefulSet', NS, 'three-arms-producer-pull'), undefined);
    assert.equal(kube.find('ConfigMap', NS, 'three-arms-prometheus'), undefined);
  });
});

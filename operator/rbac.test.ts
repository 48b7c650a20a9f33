/**
 * The chart's RBAC is exactly what the operator uses: every example runs its whole course (apply, start,
 * collect, TTL cleanup, deletion) through a recording port, so does a schedule's (ticks, runs, pruning,
 * comparison), the manager's watches and the leader's
 * Lease calls are added, and the permissions those calls need (operator/k8s/permissions.ts) must equal
 * the rules of the rendered ClusterRole and leader Role in manifests/pushpull.yaml (itself `helm
 * template` of the chart, drift-checked by generate.itest.ts). Nothing missing, nothing extra.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { KIND } from '../api/v1alpha1/schema.ts';
import type { Report } from '../report/types.ts';
import type { CollectReportFn } from './collect/collect-report.ts';
import {
  type PortCall,
  permissionText,
  type RbacRule,
  requiredPermissions,
  rulePermissions,
} from './k8s/permissions.ts';
import { relayCadvisor } from './kubelet/cadvisor-relay.ts';
import { tryAcquireOrRenew } from './leader.ts';
import { silentLogger } from './log.ts';
import { MANAGER_WATCHES, SCHEDULE_WATCHES } from './manager.ts';
import type { Reach } from './reach.ts';
import { reconcile } from './reconcile.ts';
import { CHAOS_MESH_API_VERSION, NETWORK_CHAOS_KIND } from './render/network-chaos.ts';
import type { KubeObject } from './render/types.ts';
import { reconcileSchedule } from './schedule/reconcile-schedule.ts';
import type { OperatorStatus } from './status/types.ts';
import { FakeKube } from './testing/fake-kube.ts';
import { experimentFromFile, TEST_NAMESPACE, testReconcileDeps } from './testing/fixtures.ts';
import { RecordingKube } from './testing/recording-kube.ts';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLES = ['quick', 'market-open', 'small-buffer', 'game-day-liveness'];
const T0 = Date.parse('2026-11-26T09:00:00Z');

/**
 * Runs one spec from creation to deletion; returns the calls the reconciler made. `chaosMesh`: the fake
 * API server serves NetworkChaos, so the spec's network faults are applied.
 */
async function wholeCourse(
  example: string,
  path = join(ROOT, 'examples', `${example}.yaml`),
  chaosMesh = false,
): Promise<PortCall[]> {
  const fake = new FakeKube();
  if (chaosMesh) fake.servedKinds.add(`${CHAOS_MESH_API_VERSION}/${NETWORK_CHAOS_KIND}`);
  const kube = new RecordingKube(fake);
  const x = experimentFromFile(path);
  const { name } = x.metadata;
  fake.put({ ...x, metadata: { ...x.metadata, creationTimestamp: new Date(T0).toISOString() } });
  let now = T0;
  const reach: Reach = {
    startProducer: async () => {},
    hangProducer: async () => {},
    ledger: async () => ({}),
    prometheus: () => ({ source: 'none', query: async () => [] }),
  };
  const collect: CollectReportFn = async () =>
    ({ verdict: { sentence: 'fake' }, arms: {}, signals: [], run: { missing: [] } }) as unknown as Report;
  const deps = testReconcileDeps({ kube, reach, collect, now: () => now });
  const key = `${TEST_NAMESPACE}/${name}`;
  const phase = () => (fake.find(x.kind, TEST_NAMESPACE, name)?.status as OperatorStatus | undefined)?.phase;
  let r = await reconcile(key, deps);
  fake.markPodsReady(TEST_NAMESPACE);
  fake.assignClusterIPs(TEST_NAMESPACE);
  for (let i = 0; i < 20; i++) {
    now += r.requeueAfterMs ?? 1000;
    r = await reconcile(key, deps);
    if (phase() === 'Succeeded' && r.requeueAfterMs === undefined) break;
  }
  assert.equal(phase(), 'Succeeded', `${example} ran its course`);
  const live = fake.find(x.kind, TEST_NAMESPACE, name)!;
  fake.put({ ...live, metadata: { ...live.metadata, deletionTimestamp: new Date(now).toISOString() } });
  await reconcile(key, deps);
  assert.equal(fake.find(x.kind, TEST_NAMESPACE, name), undefined, `${example} was finalized`);
  return kube.calls;
}

async function leaderCalls(): Promise<PortCall[]> {
  const kube = new RecordingKube(new FakeKube());
  const o = {
    kube,
    namespace: 'pushpull-system',
    name: 'pushpull-leader',
    identity: 'a',
    leaseDurationSeconds: 15,
    renewEveryMs: 5000,
    now: () => T0,
    sleep: async () => {},
    log: silentLogger,
  };
  assert.equal(await tryAcquireOrRenew(o), true, 'acquires');
  assert.equal(await tryAcquireOrRenew(o), true, 'renews');
  return kube.calls;
}

/**
 * A schedule's course: ticks create runs, each run finishes with a report, older runs are pruned past the
 * history limit (their reports handed to the schedule), and the newest is compared with the one before.
 */
async function scheduleCourse(): Promise<PortCall[]> {
  const fake = new FakeKube();
  const kube = new RecordingKube(fake);
  const doc = parse(readFileSync(join(ROOT, 'examples/schedules/nightly.yaml'), 'utf8')) as KubeObject;
  const name = doc.metadata.name;
  const spec = doc.spec as Record<string, unknown>;
  fake.put({
    ...doc,
    metadata: {
      ...doc.metadata,
      namespace: TEST_NAMESPACE,
      uid: 'schedule-uid',
      creationTimestamp: '2026-12-01T01:59:00Z',
    },
    spec: { ...spec, schedule: '* * * * *', timeZone: 'UTC', historyLimit: 1 },
  });
  let now = Date.parse('2026-12-01T02:00:30Z');
  const deps = { kube, clock: { now: () => now }, log: silentLogger };
  const report = readFileSync(join(ROOT, 'report/testdata/no-stress.golden.json'), 'utf8');
  for (let tick = 0; tick < 4; tick++) {
    await reconcileSchedule(`${TEST_NAMESPACE}/${name}`, deps);
    // Every run this schedule made finishes at once, with its report ConfigMap.
    for (const x of fake.objects.values()) {
      if (x.kind !== KIND || (x.status as OperatorStatus | undefined)?.phase === 'Succeeded') continue;
      const cm = `${x.metadata.name}-report`;
      fake.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: cm, namespace: TEST_NAMESPACE, labels: { ...x.metadata.labels } },
        data: { 'report.json': report },
      });
      fake.put({ ...x, status: { phase: 'Succeeded', reportConfigMap: cm } });
    }
    await reconcileSchedule(`${TEST_NAMESPACE}/${name}`, deps);
    now += 60_000;
  }
  assert.ok(
    [...fake.objects.values()].some((o) => o.kind === KIND),
    'the schedule created runs',
  );
  return kube.calls;
}

/** A sweep's course: two steps, each a child experiment finishing with its report, then the capacity report. */
async function sweepCourse(): Promise<PortCall[]> {
  const fake = new FakeKube();
  const kube = new RecordingKube(fake);
  const x = experimentFromFile(join(ROOT, 'examples', 'quick.yaml'));
  const { name } = x.metadata;
  fake.put({
    ...x,
    metadata: { ...x.metadata, creationTimestamp: new Date(T0).toISOString() },
    spec: {
      ...x.spec,
      sweep: { grows: 'eventsPerSecond', start: 1, factor: 2, maxSteps: 2, maxSeconds: 3600 },
    },
  } as unknown as KubeObject);
  const report = readFileSync(join(ROOT, 'report/testdata/no-stress.golden.json'), 'utf8');
  const unused = async () => {
    throw new Error('a sweep provisions and collects nothing itself');
  };
  const deps = testReconcileDeps({
    kube,
    reach: {
      startProducer: unused,
      hangProducer: unused,
      ledger: unused,
      prometheus: () => ({ source: 'none', query: unused }),
    },
    collect: unused,
    now: () => T0,
  });
  const phase = () => (fake.find(x.kind, TEST_NAMESPACE, name)?.status as OperatorStatus | undefined)?.phase;
  for (let i = 0; i < 6 && phase() !== 'Succeeded'; i++) {
    await reconcile(`${TEST_NAMESPACE}/${name}`, deps);
    for (const c of fake.objects.values()) {
      if (c.kind !== KIND || c.metadata.name === name || c.status) continue;
      const cm = `${c.metadata.name}-report`;
      fake.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: cm, namespace: TEST_NAMESPACE },
        data: { 'report.json': report },
      });
      fake.put({ ...c, status: { phase: 'Succeeded', reportConfigMap: cm } });
    }
  }
  assert.equal(phase(), 'Succeeded', 'the sweep ran its course');
  assert.ok(fake.find('ConfigMap', TEST_NAMESPACE, `${name}-capacity`), 'the capacity report was written');
  return kube.calls;
}

/** The kubelet relay answering one scrape of the rig Prometheus: the experiment's pods, each node's kubelet. */
async function relayCalls(): Promise<PortCall[]> {
  const fake = new FakeKube();
  const kube = new RecordingKube(fake);
  fake.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'quick-statsd-0',
      namespace: TEST_NAMESPACE,
      labels: { 'pushpull.dev/experiment': 'quick', 'app.kubernetes.io/component': 'statsd-exporter' },
    },
    spec: { nodeName: 'node-a' },
    status: { hostIP: '10.0.0.1' },
  } as KubeObject);
  fake.kubelets.set('node-a', '');
  const query = new URLSearchParams({ namespace: TEST_NAMESPACE, experiment: 'quick' });
  const res = await relayCadvisor(query, { kube, kubeletPort: 10250, timeoutMs: 1000 });
  assert.equal(res.status, 200);
  return kube.calls;
}

const watchCalls: PortCall[] = [...MANAGER_WATCHES, ...SCHEDULE_WATCHES].flatMap((w) => [
  { method: 'list' as const, apiVersion: w.apiVersion, kind: w.kind },
  { method: 'watch' as const, apiVersion: w.apiVersion, kind: w.kind },
]);

function renderedRules(kind: string, name: string): string[] {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'manifests/pushpull.yaml'), 'utf8')).map(
    (d) => d.toJS() as KubeObject & { rules?: RbacRule[] },
  );
  const role = docs.find((d) => d?.kind === kind && d.metadata.name === name);
  assert.ok(role, `manifests/pushpull.yaml has ${kind} ${name}`);
  return rulePermissions(role.rules ?? []).map(permissionText);
}

describe('the chart grants exactly what the operator calls', () => {
  test('the ClusterRole equals the permissions of the manager and a whole course of every example', async () => {
    const calls = [...watchCalls];
    for (const e of EXAMPLES) calls.push(...(await wholeCourse(e)));
    // Network faults, applied as Chaos Mesh NetworkChaos (and, without Chaos Mesh, not applied).
    const network = join(ROOT, 'operator/render/testdata/inputs/network-faults.yaml');
    calls.push(...(await wholeCourse('network-faults', network, true)));
    calls.push(...(await wholeCourse('network-faults', network, false)));
    calls.push(...(await scheduleCourse()));
    calls.push(...(await relayCalls()));
    calls.push(...(await sweepCourse()));
    const needed = requiredPermissions(calls).map(permissionText);
    const granted = renderedRules('ClusterRole', 'pushpull');
    assert.deepEqual(
      {
        missing: needed.filter((p) => !granted.includes(p)),
        unused: granted.filter((p) => !needed.includes(p)),
      },
      { missing: [], unused: [] },
    );
  });

  test('the leader-election Role equals what the Lease calls need', async () => {
    const needed = requiredPermissions(await leaderCalls()).map(permissionText);
    assert.deepEqual(renderedRules('Role', 'pushpull-leader-election'), needed);
  });
});

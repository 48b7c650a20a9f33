/**
 * The network faults' course through reconcile on the fake API server: with Chaos Mesh served, each fault
 * becomes its NetworkChaos at its time (the requeue wakes the operator there), status and report name it,
 * and the objects are deleted when the experiment finishes; without it, the NetworkFaults condition and one
 * Warning Event say so, no object is written, and the run goes on to its report.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { planNetworkFaults } from '../driver/network-faults.ts';
import { ApiError } from '../kube/api-error.ts';
import type { Report } from '../report/types.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import type { CollectInput, CollectReportFn } from './collect/collect-report.ts';
import type { Reach } from './reach.ts';
import { reconcile } from './reconcile.ts';
import { CHAOS_MESH_API_VERSION, NETWORK_CHAOS_KIND } from './render/network-chaos.ts';
import { findCondition, NETWORK_FAULTS } from './status/conditions.ts';
import type { OperatorStatus } from './status/types.ts';
import { FakeKube } from './testing/fake-kube.ts';
import { experimentFromFile, TEST_NAMESPACE, testReconcileDeps } from './testing/fixtures.ts';

const SPEC = join(import.meta.dirname, 'render/testdata/inputs/network-faults.yaml');
const T0 = Date.parse('2026-11-26T09:00:00Z');

interface Course {
  fake: FakeKube;
  status: () => OperatorStatus;
  /** Each NetworkChaos name and the clock when it first appeared. */
  appeared: Map<string, number>;
  collected: CollectInput[];
  phasesSeen: string[];
}

async function course(chaosMesh: boolean, refuse = false): Promise<Course> {
  const fake = new FakeKube();
  if (refuse) {
    // As Chaos Mesh's admission webhook refusing an object.
    const apply = fake.apply.bind(fake);
    fake.apply = async (o) => {
      if (o.kind === NETWORK_CHAOS_KIND)
        throw new ApiError(422, 'Invalid', 'admission webhook denied the request');
      return apply(o);
    };
  }
  if (chaosMesh) fake.servedKinds.add(`${CHAOS_MESH_API_VERSION}/${NETWORK_CHAOS_KIND}`);
  const x = experimentFromFile(SPEC);
  fake.put({ ...x, metadata: { ...x.metadata, creationTimestamp: new Date(T0).toISOString() } });
  let now = T0;
  const reach: Reach = {
    startProducer: async () => {},
    hangProducer: async () => {},
    ledger: async () => ({}),
    prometheus: () => ({ source: 'none', query: async () => [] }),
  };
  const collected: CollectInput[] = [];
  const collect: CollectReportFn = async (input) => {
    collected.push(input);
    return {
      verdict: { sentence: 'fake' },
      arms: {},
      signals: [],
      run: { missing: input.missing },
    } as unknown as Report;
  };
  const deps = testReconcileDeps({ kube: fake, reach, collect, now: () => now });
  const key = `${TEST_NAMESPACE}/${x.metadata.name}`;
  const status = () => fake.find(x.kind, TEST_NAMESPACE, x.metadata.name)!.status as OperatorStatus;
  const appeared = new Map<string, number>();
  const phasesSeen: string[] = [];
  let r = await reconcile(key, deps);
  fake.markPodsReady(TEST_NAMESPACE);
  fake.assignClusterIPs(TEST_NAMESPACE);
  for (let i = 0; i < 60; i++) {
    now += r.requeueAfterMs ?? 1000;
    r = await reconcile(key, deps);
    for (const o of fake.objects.values())
      if (o.kind === NETWORK_CHAOS_KIND && !appeared.has(o.metadata.name)) appeared.set(o.metadata.name, now);
    phasesSeen.push(status().phase ?? '');
    if (status().phase === 'Succeeded' && r.requeueAfterMs === undefined) break;
  }
  return { fake, status, appeared, collected, phasesSeen };
}

describe('network faults through reconcile', () => {
  test('with Chaos Mesh: each fault is its NetworkChaos at its time, named in status and report, deleted at the end', async () => {
    const c = await course(true);
    assert.equal(c.status().phase, 'Succeeded');
    const x = experimentFromFile(SPEC);
    const timeline = buildTimeline(Date.parse(c.status().startAt!), x.spec);
    for (const p of planNetworkFaults(x.spec, timeline)) {
      const h = c.status().networkFaults?.find((n) => n.index === p.index);
      assert.ok(h?.objects, `fault ${p.index} applied`);
      for (const name of h.objects) {
        const at = c.appeared.get(name);
        assert.ok(at !== undefined && at >= p.atMs && at < p.atMs + 1000, `${name} appeared at its time`);
      }
    }
    assert.deepEqual([...c.appeared.keys()].sort(), [
      'network-faults-netfault-0',
      'network-faults-netfault-1',
      'network-faults-netfault-2-from',
      'network-faults-netfault-2-to',
      'network-faults-netfault-3',
      'network-faults-netfault-4',
      'network-faults-netfault-5',
    ]);
    const cond = findCondition(c.status().conditions, NETWORK_FAULTS);
    assert.equal(cond?.status, 'True');
    assert.equal(cond?.reason, 'ChaosMesh');
    assert.match(cond?.message ?? '', /6\/6 applied/);
    assert.equal(
      [...c.fake.objects.values()].filter((o) => o.kind === NETWORK_CHAOS_KIND).length,
      0,
      'deleted when the experiment finished',
    );
    const missing = c.collected[0]!.missing.filter((m) => m.startsWith('networkFaults['));
    assert.equal(missing.length, 6);
    assert.match(
      missing[0]!,
      /^networkFaults\[0\] \(loss 30% on statsd, to-collector, 10s\): applied at .* as Chaos Mesh NetworkChaos network-faults-netfault-0;/,
    );
  });

  test('without Chaos Mesh: the condition and one Event name the faults, nothing else is written, the run goes on', async () => {
    const c = await course(false);
    assert.equal(c.status().phase, 'Succeeded');
    assert.ok(!c.phasesSeen.includes('Failed'));
    assert.equal(c.appeared.size, 0);
    assert.ok(!c.fake.writes.some((w) => w.includes(NETWORK_CHAOS_KIND)));
    const cond = findCondition(c.status().conditions, NETWORK_FAULTS);
    assert.equal(cond?.status, 'False');
    assert.equal(cond?.reason, 'ChaosMeshMissing');
    assert.match(
      cond?.message ?? '',
      /^network faults need Chaos Mesh: .*not applied: networkFaults\[0\] \(loss 30% on statsd/,
    );
    for (let i = 0; i < 6; i++) assert.match(cond?.message ?? '', new RegExp(`networkFaults\\[${i}\\]`));
    const warnings = c.fake.events.filter((e) => e.reason === 'ChaosMeshMissing');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.type, 'Warning');
    assert.deepEqual(
      c.status().networkFaults?.map((h) => [h.index, h.objects, h.notApplied?.slice(0, 30)]),
      [0, 1, 2, 3, 4, 5].map((i) => [i, undefined, 'network faults need Chaos Mesh']),
    );
    const missing = c.collected[0]!.missing.filter((m) => m.startsWith('networkFaults['));
    assert.equal(missing.length, 6);
    assert.match(
      missing[3]!,
      /^networkFaults\[3\] \(delay 200 ms on otlp, from-collector, 5.5s\): not applied: network faults need Chaos Mesh/,
    );
  });

  test('a NetworkChaos the API server refuses is recorded as not applied, with its answer; the run goes on', async () => {
    const c = await course(true, true);
    assert.equal(c.status().phase, 'Succeeded');
    const cond = findCondition(c.status().conditions, NETWORK_FAULTS);
    assert.equal(cond?.reason, 'NotApplied');
    assert.ok(
      c
        .status()
        .networkFaults?.every((h) =>
          /refused its NetworkChaos: .*admission webhook denied/.test(h.notApplied ?? ''),
        ),
      JSON.stringify(c.status().networkFaults),
    );
  });
});

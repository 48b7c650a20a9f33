/**
 * Network faults on a real control plane (devcluster/: kwok nodes, no real node needed): the CRD accepts
 * every kind of network fault, delay included (Chaos Mesh can delay), and refuses a fault missing its own
 * field; without Chaos Mesh the experiment gets the NetworkFaults condition and a Warning Event naming the
 * faults, and runs to its report unchanged; with a NetworkChaos CRD installed (a minimal stand-in of ours,
 * operator/testdata/networkchaos-crd.yaml) each fault's objects appear at its time with the rendered spec,
 * are deleted when the experiment finishes, and go away with an experiment deleted mid-fault.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import { planNetworkFaults } from '../driver/network-faults.ts';
import { ApiError } from '../kube/api-error.ts';
import type { Report } from '../report/types.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import { EXPERIMENT_LABEL } from './render/names.ts';
import {
  CHAOS_MESH_API_VERSION,
  collectorServiceName,
  NETWORK_CHAOS_KIND,
  renderNetworkChaos,
} from './render/network-chaos.ts';
import type { ExperimentObject, KubeObject } from './render/types.ts';
import { reportTextFrom } from './report-configmap.ts';
import { findCondition, NETWORK_FAULTS } from './status/conditions.ts';
import type { OperatorStatus } from './status/types.ts';
import { DevEnv, type OperatorProcess, waitFor } from './testing/dev-env.ts';

const X = { apiVersion: 'pushpull.dev/v1alpha1', kind: 'PushPullExperiment' };
const CRD = parse(
  readFileSync(join(import.meta.dirname, 'testdata/networkchaos-crd.yaml'), 'utf8'),
) as KubeObject;

/** Warm-up, a 3-second and a 6-second phase, a 1-second drain; the given network faults. */
function spec(networkFaults: unknown[], openSeconds = 6): Record<string, unknown> {
  return {
    fleet: { producers: 4, producersPerProcess: 2 },
    load: {
      warmupSeconds: 3,
      phases: [
        { name: 'pre-open', durationSeconds: 3, eventsPerSecond: 10, symbols: 2 },
        { name: 'open', durationSeconds: openSeconds, eventsPerSecond: 100, symbols: 4 },
      ],
    },
    arms: { pull: {}, statsd: {}, otlp: {} },
    collection: { drainSeconds: 1 },
    networkFaults,
  };
}

const FAULTS = [
  {
    kind: 'loss',
    arm: 'statsd',
    direction: 'to-collector',
    phase: 'open',
    offsetSeconds: 1,
    durationSeconds: 3,
    lossShare: 0.25,
  },
  {
    kind: 'delay',
    arm: 'otlp',
    direction: 'both',
    phase: 'open',
    offsetSeconds: 2,
    durationSeconds: 2,
    delayMilliseconds: 100,
  },
  {
    kind: 'partition',
    arm: 'pull',
    direction: 'from-collector',
    phase: 'pre-open',
    offsetSeconds: 1,
    durationSeconds: 1.5,
  },
];

describe('network faults on a real control plane', { timeout: 10 * 60_000 }, () => {
  let env: DevEnv;
  let operator: OperatorProcess;
  const failures: string[] = [];

  before(async () => {
    env = await DevEnv.start();
    operator = await env.startOperator();
  });
  after(async () => {
    if (failures.length > 0 && env) {
      for (const ns of failures) process.stderr.write(`${await env.evidence(ns)}\n`);
    }
    await env?.stop();
  });

  const get = (ns: string, name: string) => env.kube.get({ ...X, namespace: ns, name });
  const statusOf = async (ns: string, name: string) =>
    (await get(ns, name))?.status as OperatorStatus | undefined;
  const waitPhase = (ns: string, name: string, phases: string[], timeoutMs: number) =>
    waitFor(
      `${ns}/${name} to reach ${phases.join(' or ')}`,
      async () => {
        const s = await statusOf(ns, name);
        return s?.phase && phases.includes(s.phase) ? s : undefined;
      },
      timeoutMs,
    );
  const chaosOf = async (ns: string, name: string) =>
    (await env.kube.list(CHAOS_MESH_API_VERSION, NETWORK_CHAOS_KIND, ns, `${EXPERIMENT_LABEL}=${name}`))
      .items;
  async function guard<T>(ns: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      failures.push(ns);
      throw err;
    }
  }

  test('the CRD accepts every kind, delay included, and refuses a fault without its own field', async () => {
    await env.createNamespace('validation');
    const x = { ...X, metadata: { name: 'ok', namespace: 'validation' }, spec: spec(FAULTS) };
    await env.kube.create(x);
    await env.kube.delete({ ...X, namespace: 'validation', name: 'ok' });
    const bad = structuredClone(FAULTS);
    delete (bad[0] as { lossShare?: number }).lossShare;
    await assert.rejects(
      env.kube.create({ ...X, metadata: { name: 'bad', namespace: 'validation' }, spec: spec(bad) }),
      (err: unknown) => {
        assert.ok(err instanceof ApiError && [400, 422].includes(err.statusCode), String(err));
        assert.match(err.message, /lossShare/);
        return true;
      },
    );
  });

  test('without Chaos Mesh: the condition and an Event name the faults, and the run goes on', async () => {
    const ns = 'no-chaos';
    await guard(ns, async () => {
      await env.createNamespace(ns);
      await env.kube.create({ ...X, metadata: { name: 'game', namespace: ns }, spec: spec(FAULTS) });
      const missing = await waitFor(
        'the NetworkFaults condition',
        async () => {
          const c = findCondition((await statusOf(ns, 'game'))?.conditions, NETWORK_FAULTS);
          return c?.reason === 'ChaosMeshMissing' ? c : undefined;
        },
        120_000,
      );
      assert.equal(missing.status, 'False');
      assert.match(missing.message, /^network faults need Chaos Mesh/);
      for (const i of [0, 1, 2]) assert.match(missing.message, new RegExp(`networkFaults\\[${i}\\]`));
      const events = (await env.kube.list('v1', 'Event', ns)).items as Array<
        KubeObject & { reason?: string; type?: string }
      >;
      assert.equal(events.filter((e) => e.reason === 'ChaosMeshMissing' && e.type === 'Warning').length, 1);

      const done = await waitPhase(ns, 'game', ['Succeeded', 'Failed'], 180_000);
      assert.equal(done.phase, 'Succeeded', done.message);
      assert.deepEqual(
        done.networkFaults?.map((h) => [h.index, h.objects, /need Chaos Mesh/.test(h.notApplied ?? '')]),
        [
          [0, undefined, true],
          [1, undefined, true],
          [2, undefined, true],
        ],
      );
      const cm = await env.kube.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: ns,
        name: 'game-report',
      });
      const report = JSON.parse(reportTextFrom(cm as never)!) as Report;
      const lines = report.run.missing.filter((m) => m.startsWith('networkFaults['));
      assert.equal(lines.length, 3, report.run.missing.join(' | '));
      for (const l of lines) assert.match(l, /not applied: network faults need Chaos Mesh/);
      await env.kube.delete({ ...X, namespace: ns, name: 'game' });
    });
  });

  test('with the NetworkChaos CRD: each fault appears at its time as rendered, and is gone at the end', async () => {
    const ns = 'chaos';
    await guard(ns, async () => {
      await env.kube.apply(CRD);
      await waitFor(
        'the NetworkChaos CRD to be served',
        async () => ((await env.kube.served(CHAOS_MESH_API_VERSION, NETWORK_CHAOS_KIND)) ? true : undefined),
        30_000,
      );
      // The operator remembers "not served" for a minute: a fresh one asks at once.
      await env.stopOperator(operator);
      operator = await env.startOperator();
      await env.createNamespace(ns);
      await env.kube.create({ ...X, metadata: { name: 'game', namespace: ns }, spec: spec(FAULTS) });

      // Watch the namespace's NetworkChaos objects until the run is over: when each was first seen.
      const firstSeen = new Map<string, number>();
      const done = await waitFor(
        'the run to finish, watching NetworkChaos objects',
        async () => {
          for (const o of await chaosOf(ns, 'game'))
            if (!firstSeen.has(o.metadata.name)) firstSeen.set(o.metadata.name, Date.now());
          const s = await statusOf(ns, 'game');
          return s?.phase === 'Succeeded' || s?.phase === 'Failed' ? s : undefined;
        },
        240_000,
        100,
      );
      assert.equal(done.phase, 'Succeeded', done.message);
      const cond = findCondition(done.conditions, NETWORK_FAULTS);
      assert.equal(cond?.reason, 'ChaosMesh', cond?.message);
      assert.equal(cond?.status, 'True');
      assert.deepEqual([...firstSeen.keys()].sort(), [
        'game-netfault-0',
        'game-netfault-1-from',
        'game-netfault-1-to',
        'game-netfault-2',
      ]);

      const live = (await get(ns, 'game'))!;
      const validated = validateSpec(live.spec);
      assert.ok(validated.ok);
      const x: ExperimentObject = {
        ...X,
        metadata: { name: 'game', namespace: ns, uid: live.metadata.uid! },
        spec: validated.spec,
      };
      const planned = planNetworkFaults(x.spec, buildTimeline(Date.parse(done.startAt!), x.spec));
      const services = (await env.kube.list('v1', 'Service', ns, `${EXPERIMENT_LABEL}=game`)).items;
      for (const p of planned) {
        const h = done.networkFaults?.find((n) => n.index === p.index);
        assert.ok(h?.objects, `fault ${p.index} applied: ${JSON.stringify(h)}`);
        const at = Date.parse(h.at);
        assert.ok(at >= p.atMs, `fault ${p.index} applied at ${h.at}, not before its time`);
        for (const name of h.objects)
          assert.ok(firstSeen.get(name)! >= p.atMs, `${name} did not appear before its time`);
        // What the operator wrote is the renderer's output for the instant it applied the fault.
        const service = collectorServiceName(x, p.fault.arm);
        const ip = services.find((s) => s.metadata.name === service)?.spec?.clusterIP;
        const want = renderNetworkChaos({
          experiment: x,
          index: p.index,
          ...(ip ? { collectorServiceIP: ip } : {}),
          durationMs: p.healMs - at,
        });
        assert.ok(want.ok);
        assert.deepEqual(
          want.objects.map((o) => o.metadata.name),
          h.objects,
        );
      }
      process.stdout.write(
        `# NetworkChaos first seen (ms after the fault's time): ${planned
          .flatMap((p) =>
            (done.networkFaults?.find((n) => n.index === p.index)?.objects ?? []).map(
              (n) => `${n} +${firstSeen.get(n)! - p.atMs}`,
            ),
          )
          .join(', ')}\n`,
      );
      assert.deepEqual(await chaosOf(ns, 'game'), [], 'deleted when the experiment finished');
      const cm = await env.kube.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: ns,
        name: 'game-report',
      });
      const report = JSON.parse(reportTextFrom(cm as never)!) as Report;
      const lines = report.run.missing.filter((m) => m.startsWith('networkFaults['));
      assert.equal(lines.length, 3);
      for (const l of lines) assert.match(l, /applied at .* as Chaos Mesh NetworkChaos game-netfault-/);
      await env.kube.delete({ ...X, namespace: ns, name: 'game' });
    });
  });

  test('the spec the operator writes is what the renderer gives, and an experiment deleted mid-fault takes it along', async () => {
    const ns = 'chaos-delete';
    await guard(ns, async () => {
      await env.createNamespace(ns);
      const long = [{ ...FAULTS[0], phase: 'open', offsetSeconds: 0, durationSeconds: 120 }];
      await env.kube.create({ ...X, metadata: { name: 'long', namespace: ns }, spec: spec(long, 300) });
      const [chaos] = await waitFor(
        'the NetworkChaos of the long fault',
        async () => {
          const items = await chaosOf(ns, 'long');
          return items.length > 0 ? items : undefined;
        },
        180_000,
      );
      const live = (await get(ns, 'long'))!;
      const s = live.status as OperatorStatus;
      const validated = validateSpec(live.spec);
      assert.ok(validated.ok);
      const x: ExperimentObject = {
        ...X,
        metadata: { name: 'long', namespace: ns, uid: live.metadata.uid! },
        spec: validated.spec,
      };
      const [p] = planNetworkFaults(x.spec, buildTimeline(Date.parse(s.startAt!), x.spec));
      const at = Date.parse(s.networkFaults![0]!.at);
      const svc = await env.kube.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: ns,
        name: 'long-statsd',
      });
      const want = renderNetworkChaos({
        experiment: x,
        index: 0,
        collectorServiceIP: svc!.spec!.clusterIP!,
        durationMs: p!.healMs - at,
      });
      assert.ok(want.ok);
      assert.deepEqual(chaos!.spec, want.objects[0]!.spec);
      assert.deepEqual(chaos!.metadata.ownerReferences, want.objects[0]!.metadata.ownerReferences);
      assert.deepEqual(chaos!.metadata.labels, want.objects[0]!.metadata.labels);

      await env.kube.delete({ ...X, namespace: ns, name: 'long' });
      await waitFor(
        'the NetworkChaos to go with the experiment',
        async () => ((await chaosOf(ns, 'long')).length === 0 ? true : undefined),
        60_000,
      );
      await waitFor(
        'the experiment to be gone',
        async () => ((await get(ns, 'long')) ? undefined : true),
        60_000,
      );
    });
  });
});

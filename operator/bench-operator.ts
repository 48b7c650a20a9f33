/**
 * `node operator/bench-operator.ts`: the operator's figures on the dev control plane (not a test; the
 * numbers go to docs/benchmarks.md): apply → every rendered object exists; 50 experiments at once to
 * Running; the operator's RSS; API writes made by no-op reconciles (an annotation touch on each
 * experiment triggers one pass each, which must write nothing).
 */
import { readFileSync } from 'node:fs';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import { DEFAULT_IMAGES } from './images.ts';
import { renderExperiment } from './render/render.ts';
import type { ExperimentObject, KubeObject } from './render/types.ts';
import type { OperatorStatus } from './status/types.ts';
import { DevEnv, waitFor } from './testing/dev-env.ts';

const X = { apiVersion: 'pushpull.dev/v1alpha1', kind: 'PushPullExperiment' };
const COUNT = Number(process.env.BENCH_EXPERIMENTS ?? 50);

function spec(): Record<string, unknown> {
  return {
    fleet: { producers: 4, producersPerProcess: 2 },
    load: {
      startAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      phases: [{ name: 'open', durationSeconds: 10, eventsPerSecond: 100, symbols: 4 }],
    },
    arms: { pull: {}, statsd: {}, otlp: {} },
  };
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').at(-1));
  return sum;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

const env = await DevEnv.start();
try {
  const op = await env.startOperator(['--log-level', 'info']);
  await waitFor(
    'the operator',
    async () => ((await fetch(`http://127.0.0.1:${op.metricsPort}/healthz`)).ok ? true : undefined),
    30_000,
  );
  await env.createNamespace('bench');
  // Let the operator's first list and watch settle (a fresh CRD answers 429 while its storage initialises).
  await new Promise((r) => setTimeout(r, 5000));

  // 1. apply → every rendered object exists.
  const t0 = performance.now();
  await env.kube.apply({ ...X, metadata: { name: 'first', namespace: 'bench' }, spec: spec() });
  const live = (await env.kube.get({ ...X, namespace: 'bench', name: 'first' }))!;
  const v = validateSpec(live.spec);
  if (!v.ok) throw new Error('invalid bench spec');
  const x: ExperimentObject = {
    ...X,
    metadata: { name: 'first', namespace: 'bench', uid: live.metadata.uid! },
    spec: v.spec,
  };
  const want = renderExperiment({ experiment: x, images: DEFAULT_IMAGES });
  await waitFor(
    'every object of the first experiment',
    async () => {
      for (const o of want) {
        if (
          !(await env.kube.get({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: 'bench',
            name: o.metadata.name,
          }))
        )
          return undefined;
      }
      return true;
    },
    30_000,
    20,
  );
  const applyToObjectsMs = performance.now() - t0;

  // 2. COUNT experiments at once → all Running.
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: COUNT }, (_, i) =>
      env.kube.apply({ ...X, metadata: { name: `x${i}`, namespace: 'bench' }, spec: spec() } as KubeObject),
    ),
  );
  await waitFor(
    `${COUNT} experiments Running`,
    async () => {
      const xs = await env.kube.list(X.apiVersion, X.kind, 'bench');
      const running = xs.items.filter(
        (i) => (i.status as OperatorStatus | undefined)?.phase === 'Running',
      ).length;
      return running >= COUNT + 1 ? running : undefined;
    },
    600_000,
    500,
  );
  const allRunningMs = performance.now() - t1;
  const rss = rssMb(op.child.pid!);

  // 3. no-op reconciles: touch an annotation on each experiment; count passes and writes.
  await new Promise((r) => setTimeout(r, 3000));
  const writes0 = await metric(op.metricsPort, 'pushpull_operator_api_writes_total');
  const passes0 = await metric(op.metricsPort, 'pushpull_operator_reconcile_total');
  for (let i = 0; i < COUNT; i++) {
    await env.kube.mergePatch(
      { ...X, namespace: 'bench', name: `x${i}` },
      { metadata: { annotations: { 'bench/touch': '1' } } },
    );
  }
  await waitFor(
    `${COUNT} no-op passes`,
    async () =>
      (await metric(op.metricsPort, 'pushpull_operator_reconcile_total')) - passes0 >= COUNT
        ? true
        : undefined,
    120_000,
    200,
  );
  await new Promise((r) => setTimeout(r, 2000));
  const passes = (await metric(op.metricsPort, 'pushpull_operator_reconcile_total')) - passes0;
  const writes = (await metric(op.metricsPort, 'pushpull_operator_api_writes_total')) - writes0;
  const rssAfter = rssMb(op.child.pid!);

  const rows = [
    [
      'apply → all objects of one experiment exist',
      `${applyToObjectsMs.toFixed(0)} ms (${want.length} objects)`,
    ],
    [`${COUNT} experiments applied at once → all Running`, `${(allRunningMs / 1000).toFixed(1)} s`],
    [
      'operator RSS after provisioning them',
      `${rss.toFixed(0)} MB (${rssAfter.toFixed(0)} MB after the no-op passes)`,
    ],
    [
      'API writes per no-op reconcile',
      `${(writes / passes).toFixed(2)} (${writes} writes in ${passes} passes)`,
    ],
  ];
  process.stdout.write(
    `| figure | value |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n`,
  );
} finally {
  await env.stop();
}

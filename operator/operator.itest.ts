/**
 * The operator against a real control plane (devcluster/: etcd, kube-apiserver, controller-manager,
 * scheduler, kwok fake nodes): the CRD rejects malformed specs at apply time; every example becomes the
 * expected objects with pods Running on the fake nodes; an operator SIGKILLed mid-experiment is
 * replaced and the experiment completes with one set of objects and one report; deleting the experiment
 * garbage-collects everything and releases the finalizer; a real Prometheus discovers exactly the
 * expected targets through kubernetes_sd; and collection from spec.collection.prometheusURL produces a
 * report. kwok pods run no processes, so those reports honestly list what is missing.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import { ApiError } from '../kube/api-error.ts';
import { freePort } from '../process/ports.ts';
import type { Report } from '../report/types.ts';
import { fleetPlan } from '../schedule/fleet.ts';
import { locateTools } from '../tools/locate.ts';
import { DEFAULT_IMAGES } from './images.ts';
import { FINALIZER } from './reconcile.ts';
import { HASH_ANNOTATION } from './render/hash.ts';
import { EXPERIMENT_LABEL } from './render/names.ts';
import { renderSubjectPrometheusConfig } from './render/prometheus-config.ts';
import { renderExperiment } from './render/render.ts';
import type { ExperimentObject, KubeObject } from './render/types.ts';
import { reportTextFrom } from './report-configmap.ts';
import type { OperatorStatus } from './status/types.ts';
import { DevEnv, type OperatorProcess, waitFor } from './testing/dev-env.ts';

const REPO = join(import.meta.dirname, '..');
const X = { apiVersion: 'pushpull.dev/v1alpha1', kind: 'PushPullExperiment' };
const run = promisify(execFile);

/** A short experiment: warm-up, two 2-second phases, a 1-second drain. */
function shortSpec(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fleet: { producers: 5, producersPerProcess: 2 },
    load: {
      warmupSeconds: 2,
      phases: [
        { name: 'pre-open', durationSeconds: 2, eventsPerSecond: 10, symbols: 2 },
        { name: 'open', durationSeconds: 2, eventsPerSecond: 100, symbols: 4 },
      ],
    },
    arms: { pull: {}, statsd: {}, otlp: {} },
    collection: { drainSeconds: 1 },
    ...over,
  };
}

/** A startAt far enough ahead that the experiment stays Running (waiting) for the whole test. */
function anHourFromNow(): string {
  return new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function experiment(namespace: string, name: string, spec: unknown): KubeObject {
  return { ...X, metadata: { name, namespace }, spec };
}

const OWNED_KINDS: Array<[string, string]> = [
  ['v1', 'ConfigMap'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
];

describe('the operator on a real control plane', { timeout: 15 * 60_000 }, () => {
  let env: DevEnv;
  let operator: OperatorProcess;
  const failures: string[] = [];

  before(async () => {
    env = await DevEnv.start();
    operator = await env.startOperator(['--leader-elect', '--leader-election-namespace', 'default']);
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
  async function guard<T>(ns: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      failures.push(ns);
      throw err;
    }
  }

  test('malformed specs are rejected at apply time, naming the field', async () => {
    await env.createNamespace('bad');
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['scale above 1', shortSpec({ scale: 3 }), /spec\.scale/],
      ['an unknown field', shortSpec({ fleet: { producers: 5, pods: 3 } }), /spec\.fleet\.pods/],
      ['no arm at all', shortSpec({ arms: {} }), /spec\.arms/],
      [
        'a bad statsd mode',
        shortSpec({ arms: { statsd: { mode: 'sometimes' } } }),
        /spec\.arms\.statsd\.mode/,
      ],
      [
        'a scrape timeout over the interval',
        shortSpec({ arms: { pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 9 } } }),
        /scrapeTimeoutSeconds/,
      ],
    ];
    // As `kubectl apply` creates a new object: POST with strict field validation.
    for (const [label, spec, message] of cases) {
      await assert.rejects(env.kube.create(experiment('bad', 'x', spec)), (err: unknown) => {
        assert.ok(err instanceof ApiError, `${label}: ${String(err)}`);
        assert.ok([400, 422].includes(err.statusCode), `${label}: ${err.message}`);
        assert.match(err.message, message, label);
        return true;
      });
    }
  });

  test('every example becomes the expected objects, with every pod Running on a kwok node', async () => {
    const examples = ['market-open', 'quick', 'small-buffer'];
    for (const example of examples) {
      const ns = `ex-${example}`;
      await guard(ns, async () => {
        await env.createNamespace(ns);
        const doc = parse(readFileSync(join(REPO, 'examples', `${example}.yaml`), 'utf8')) as KubeObject;
        // Hold the load start an hour away: this test checks provisioning, not the run.
        const spec = doc.spec as { load: { startAt?: string } };
        spec.load.startAt = anHourFromNow();
        const name = doc.metadata.name;
        await env.kube.apply({ ...doc, metadata: { name, namespace: ns } });
        const status = await waitPhase(ns, name, ['Running', 'Failed'], 180_000);
        assert.equal(status.phase, 'Running', status.message);

        const live = (await get(ns, name))!;
        assert.deepEqual(live.metadata.finalizers, [FINALIZER]);
        const validated = validateSpec(live.spec);
        assert.ok(validated.ok);
        const x: ExperimentObject = {
          ...X,
          metadata: { name, namespace: ns, uid: live.metadata.uid! },
          spec: validated.spec,
        };
        const want = renderExperiment({ experiment: x, images: DEFAULT_IMAGES });
        for (const obj of want) {
          const got = await env.kube.get({
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            namespace: ns,
            name: obj.metadata.name,
          });
          assert.ok(got, `${obj.kind}/${obj.metadata.name} exists`);
          assert.equal(
            got.metadata.annotations?.[HASH_ANNOTATION],
            obj.metadata.annotations?.[HASH_ANNOTATION],
            `${obj.kind}/${obj.metadata.name} is what was rendered`,
          );
          assert.equal(got.metadata.ownerReferences?.[0]?.uid, live.metadata.uid);
        }
        const plan = fleetPlan(validated.spec);
        const arms = Object.keys(validated.spec.arms).length;
        const pods = (await env.kube.list('v1', 'Pod', ns, `${EXPERIMENT_LABEL}=${name}`)).items;
        const collectors = want.filter((o) => o.kind === 'Deployment').length;
        assert.equal(pods.length, plan.processes * arms + collectors);
        for (const pod of pods) {
          const spec = pod.spec as { nodeName?: string };
          assert.ok(
            spec.nodeName && env.cluster.nodeNames.includes(spec.nodeName),
            `${pod.metadata.name} on a kwok node`,
          );
          assert.equal((pod.status as { phase: string }).phase, 'Running', pod.metadata.name);
        }
        await env.kube.delete({ ...X, namespace: ns, name });
      });
    }
  });

  test('an operator SIGKILLed mid-experiment is replaced; the experiment completes once', async () => {
    const ns = 'sigkill';
    await guard(ns, async () => {
      await env.createNamespace(ns);
      await env.kube.apply(
        experiment(ns, 'burst', shortSpec({ load: { ...(shortSpec().load as object), warmupSeconds: 6 } })),
      );
      const running = await waitPhase(ns, 'burst', ['Running'], 120_000);
      assert.ok(running.startAt);
      await env.stopOperator(operator, 'SIGKILL');
      // The replacement waits out the dead leader's lease (15 s), then carries on from the status.
      operator = await env.startOperator(['--leader-elect', '--leader-election-namespace', 'default']);
      const done = await waitPhase(ns, 'burst', ['Succeeded', 'Failed'], 180_000);
      assert.equal(done.phase, 'Succeeded', done.message);
      assert.equal(done.startAt, running.startAt, 'startAt was fixed once');
      const statefulSets = (await env.kube.list('apps/v1', 'StatefulSet', ns, `${EXPERIMENT_LABEL}=burst`))
        .items;
      assert.deepEqual(statefulSets.map((s) => s.metadata.name).sort(), [
        'burst-producer-otlp',
        'burst-producer-pull',
        'burst-producer-statsd',
      ]);
      const pods = (await env.kube.list('v1', 'Pod', ns, `${EXPERIMENT_LABEL}=burst`)).items;
      assert.equal(pods.length, 3 * 3 + 4, 'one set of pods');
      const reports = (await env.kube.list('v1', 'ConfigMap', ns)).items.filter((c) =>
        c.metadata.name.endsWith('-report'),
      );
      assert.deepEqual(
        reports.map((c) => c.metadata.name),
        ['burst-report'],
      );
      const report = JSON.parse(reportTextFrom(reports[0] as never)!) as Report;
      assert.equal(report.experiment.name, 'burst');
      assert.equal(report.run.loadStartAt, running.startAt);
      assert.ok(
        report.run.missing.some((m) => /ledger of pull process/.test(m)),
        `kwok pods serve no ledger, and the report says so: ${report.run.missing.join(' | ')}`,
      );
      assert.equal(done.reportConfigMap, 'burst-report');
      assert.ok(done.verdict);
    });
  });

  test('deleting the experiment garbage-collects what it owned and releases the finalizer', async () => {
    const ns = 'sigkill';
    await guard(ns, async () => {
      await env.kube.delete({ ...X, namespace: ns, name: 'burst' });
      await waitFor(
        'the experiment to be gone',
        async () => ((await get(ns, 'burst')) ? undefined : true),
        60_000,
      );
      for (const [apiVersion, kind] of OWNED_KINDS) {
        await waitFor(
          `every ${kind} of burst to be gone`,
          async () =>
            (await env.kube.list(apiVersion, kind, ns, `${EXPERIMENT_LABEL}=burst`)).items.length === 0
              ? true
              : undefined,
          60_000,
        );
      }
    });
  });

  test('a real Prometheus discovers exactly the expected targets through kubernetes_sd', async () => {
    const ns = 'discovery';
    await guard(ns, async () => {
      await env.createNamespace(ns);
      await env.kube.apply(
        experiment(
          ns,
          'disc',
          shortSpec({ load: { ...(shortSpec().load as object), startAt: anHourFromNow() } }),
        ),
      );
      await waitPhase(ns, 'disc', ['Running'], 120_000);
      const live = (await get(ns, 'disc'))!;
      const validated = validateSpec(live.spec);
      assert.ok(validated.ok);
      // The rendered config, pointed at the test API server (in a cluster it uses the pod's account).
      const config = parse(renderSubjectPrometheusConfig('disc', ns, validated.spec)) as {
        scrape_configs: Array<{ kubernetes_sd_configs?: Array<Record<string, unknown>> }>;
      };
      for (const job of config.scrape_configs) {
        for (const sd of job.kubernetes_sd_configs ?? []) sd.kubeconfig_file = env.cluster.kubeconfigPath;
      }
      const dir = join(env.dir, 'prometheus-discovery');
      const configPath = join(env.dir, 'discovery.yml');
      writeFileSync(configPath, stringify(config));
      const port = await freePort();
      const prom = spawnPrometheus(configPath, dir, port);
      try {
        type Target = { labels: Record<string, string>; scrapeUrl: string };
        const targets = await waitFor(
          'the subject Prometheus to discover 7 targets',
          async () => {
            const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=active`);
            const body = (await res.json()) as { data: { activeTargets: Target[] } };
            return body.data.activeTargets.length >= 7 ? body.data.activeTargets : undefined;
          },
          60_000,
          500,
        );
        const pull = targets.filter((t) => t.labels.job === 'pull');
        assert.deepEqual(pull.map((t) => t.labels.producer).sort(), [
          'p0000',
          'p0001',
          'p0002',
          'p0003',
          'p0004',
        ]);
        for (const t of pull) {
          assert.equal(t.labels.arm, 'pull');
          assert.equal(t.labels.experiment, 'disc');
          assert.match(t.labels.pod!, /^disc-producer-pull-[0-2]$/);
          assert.equal(t.labels.pod, `disc-producer-pull-${t.labels.process}`);
          assert.ok(t.scrapeUrl.endsWith(`:9400/targets/${t.labels.producer}/metrics`), t.scrapeUrl);
        }
        assert.deepEqual(
          targets
            .filter((t) => t.labels.job !== 'pull')
            .map((t) => `${t.labels.job}/${t.labels.arm}`)
            .sort(),
          ['otelcol/otlp', 'statsd_exporter/statsd'],
        );
        assert.equal(targets.length, 7);
      } finally {
        await stopChild(prom);
        rmSync(dir, { recursive: true, force: true });
      }
      await env.kube.delete({ ...X, namespace: ns, name: 'disc' });
    });
  });

  test('collection through spec.collection.prometheusURL produces a report', async () => {
    const ns = 'external';
    await guard(ns, async () => {
      await env.createNamespace(ns);
      const port = await freePort();
      const configPath = join(env.dir, 'external.yml');
      writeFileSync(
        configPath,
        stringify({
          global: { scrape_interval: '1s' },
          scrape_configs: [{ job_name: 'self', static_configs: [{ targets: [`127.0.0.1:${port}`] }] }],
        }),
      );
      const dir = join(env.dir, 'prometheus-external');
      const prom = spawnPrometheus(configPath, dir, port);
      try {
        const url = `http://127.0.0.1:${port}`;
        await waitFor(
          'the external Prometheus',
          async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
          30_000,
        );
        await env.kube.apply(
          experiment(
            ns,
            'ext',
            shortSpec({ arms: { pull: {} }, collection: { drainSeconds: 1, prometheusURL: url } }),
          ),
        );
        const done = await waitPhase(ns, 'ext', ['Succeeded', 'Failed'], 180_000);
        assert.equal(done.phase, 'Succeeded', done.message);
        assert.equal(
          await env.kube.get({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: ns,
            name: 'ext-prometheus',
          }),
          undefined,
          'no subject Prometheus is deployed when the spec names one',
        );
        const { stdout } = await run(
          process.execPath,
          [
            join(REPO, 'bin/pushpull.js'),
            'report',
            'ext',
            '--namespace',
            ns,
            '--kubeconfig',
            env.cluster.kubeconfigPath,
            '--format',
            'json',
          ],
          { timeout: 60_000 },
        );
        const report = JSON.parse(stdout) as Report;
        assert.equal(report.experiment.runtime, 'kubernetes');
        const scrape = report.arms.pull!.scrapeDurationSeconds.p99;
        assert.match(
          scrape.source,
          new RegExp(url.replace(/[.]/g, '\\.')),
          'figures name the Prometheus they came from',
        );
        assert.equal(scrape.value, null, 'kwok pods are never scraped: no value, and the report says why');
        assert.ok(scrape.missing);
      } finally {
        await stopChild(prom);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

function spawnPrometheus(configPath: string, dataDir: string, port: number): ChildProcess {
  const tools = locateTools();
  return spawn(
    tools.prometheus.path,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

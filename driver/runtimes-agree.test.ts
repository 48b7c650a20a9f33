/**
 * One pipeline, two runtimes: the same recorded run (every raw sample its subject and rig Prometheus
 * stored, and its producers' final ledgers; driver/testdata/recorded-run.json, made by record-run.ts from
 * a real `pushpull run`) goes through the Kubernetes adapter's collect step and through the local
 * adapter's books plus the one measurement, and both give the same report.json apart from the runtime's
 * own fields (which runtime, its namespace, its tools, its machine, when it finished, where each collector's
 * use is read from). The readings are
 * taken as a cluster would hold them: the StatsD socket's kernel counter on the in-cluster port, and the
 * collectors' counters from the rig Prometheus on both sides.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API_GROUP, API_VERSION, type ExperimentSpec, KIND } from '../api/v1alpha1/schema.ts';
import type { LedgerDocument } from '../loadgen/ledger.ts';
import { ledgersAtCutOff } from '../local/ledgers-at-cut-off.ts';
import { assembleReport } from '../measure/assemble.ts';
import { countersFromRig } from '../measure/collect.ts';
import { measureRun } from '../measure/measure-run.ts';
import type { PromSeries } from '../measure/prom-api.ts';
import { collectReport } from '../operator/collect/collect-report.ts';
import type { Reach } from '../operator/reach.ts';
import { PORTS } from '../operator/render/ports.ts';
import { TEST_IMAGES } from '../operator/testing/fixtures.ts';
import type { Report } from '../report/types.ts';
import type { Timeline } from '../schedule/timeline.ts';
import { replayPromClient } from '../testing/prom-replay.ts';

interface Recording {
  journal: { name: string; spec: ExperimentSpec; startedAt: string; timeline: Timeline };
  cutoffAt: string;
  statsdUdpPort: number;
  subject: PromSeries[];
  rig: PromSeries[];
  ledgers: LedgerDocument[];
}

const rec = JSON.parse(
  readFileSync(new URL('./testdata/recorded-run.json', import.meta.url), 'utf8'),
) as Recording;
// As a cluster holds it: the collector socket on the in-cluster StatsD port.
const inCluster = (series: PromSeries[]) =>
  series.map((s) =>
    s.labels.port === String(rec.statsdUdpPort)
      ? { ...s, labels: { ...s.labels, port: String(PORTS.statsdUdp) } }
      : s,
  );
const subject = replayPromClient('the subject Prometheus', inCluster(rec.subject));
const rig = replayPromClient('the rig Prometheus', inCluster(rec.rig));
const { name, spec, startedAt, timeline } = rec.journal;
const cutOffMs = Date.parse(rec.cutoffAt);
const startedMs = Date.parse(startedAt);
const iso = (ms: number) => new Date(ms).toISOString();

async function throughKubernetes(): Promise<Report> {
  const podName = (d: LedgerDocument) => `${name}-producer-${d.arm}-${d.processIndex}`;
  const reach: Reach = {
    startProducer: async () => {},
    hangProducer: async () => {},
    ledger: async (pod) => rec.ledgers.find((d) => podName(d) === pod.name) ?? null,
    prometheus: (_x, which) => (which === 'subject' ? subject : rig),
  };
  return collectReport(
    {
      experiment: {
        apiVersion: `${API_GROUP}/${API_VERSION}`,
        kind: KIND,
        metadata: { name, namespace: 'rehearsal', uid: 'uid-1' },
        spec,
      },
      schedule: {
        startAtMs: timeline.startAtMs,
        loadEndMs: timeline.loadEndMs,
        drainEndMs: cutOffMs,
        phases: timeline.phases.map((p) => ({ name: p.name, startMs: p.startMs, endMs: p.endMs })),
      },
      createdAt: startedAt,
      fleetStartedAt: startedAt,
      nowMs: cutOffMs,
      producers: rec.ledgers.map((d) => ({
        namespace: 'rehearsal',
        name: podName(d),
        arm: d.arm,
        process: d.processIndex,
      })),
      images: TEST_IMAGES,
      missing: [],
    },
    { reach },
  );
}

async function throughLocal(): Promise<Report> {
  const fleet = rec.ledgers.map((d) => ({ arm: d.arm, name: `${d.arm}/${d.processIndex}` }));
  const books = ledgersAtCutOff(fleet, new Map(fleet.map((p, i) => [p, rec.ledgers[i]!])), new Map(), {});
  const scope = { experiment: name };
  const counters = (atMs: number, fresh: boolean) =>
    countersFromRig({ rig, scope, spec, statsdUdpPort: PORTS.statsdUdp, at: atMs / 1000, fresh });
  const input = await measureRun({
    name,
    runtime: 'local',
    spec,
    run: {
      startedAt,
      loadStartAt: iso(timeline.startAtMs),
      loadEndAt: iso(timeline.loadEndMs),
      cutoffAt: iso(cutOffMs),
      outcome: 'completed',
      missing: [],
    },
    tools: {},
    phases: timeline.phases,
    ...books,
    producersDied: [],
    measured: {
      subject,
      rig,
      window: { fromMs: startedMs, stoppingAtMs: cutOffMs, cutOffAtMs: cutOffMs },
      baseline: await counters(startedMs, true),
      final: await counters(cutOffMs, false),
      statsdUdpPort: PORTS.statsdUdp,
      pullTargets: spec.fleet.producers,
      faults: [],
    },
    now: () => cutOffMs,
  });
  return assembleReport(input);
}

/**
 * Headroom entries that stand on a collector's budget and use (memory, CPU throttling, otelcol's limiter)
 * rather than on the arm's data: a cluster always sets limits (the operator's defaults), locally only a
 * spec's budget does.
 */
const COLLECTOR_USE_HEADROOM = new Set([
  'collector-memory-of-limit',
  'collector-cpu-throttled',
  'otelcol-memory-of-soft-limit',
]);

/**
 * The report without the fields that say which runtime made it; and without `collectors`, each
 * collector's use, which each runtime reads from its own source (cgroups locally, the kubelet's cAdvisor
 * in a cluster), nor the headroom entries drawn from budgets and use.
 */
function withoutRuntime(r: Report): unknown {
  const { experiment, run, machine: _machine, tools: _tools, collectors: _collectors, ...rest } = r;
  const { runtime: _runtime, namespace: _namespace, ...experimentRest } = experiment;
  const { finishedAt: _finishedAt, ...runRest } = run;
  const headroom = rest.headroom?.filter((h) => !COLLECTOR_USE_HEADROOM.has(h.kind));
  return { ...rest, ...(headroom ? { headroom } : {}), experiment: experimentRest, run: runRest };
}

test('the same recorded run through the Kubernetes and the local adapter gives the same report.json', async () => {
  const [kube, local] = [await throughKubernetes(), await throughLocal()];
  assert.equal(kube.experiment.runtime, 'kubernetes');
  assert.equal(local.experiment.runtime, 'local');
  // The recording is a real run with every figure present: the comparison is not of two empty reports.
  assert.equal(local.arms.statsd?.books.unaccounted.value, 0);
  assert.ok((local.arms.pull?.scrapeDurationSeconds.p99.value ?? 0) > 0);
  assert.ok(
    (local.charts.find((c) => c.id.startsWith('ledger'))?.points.length ?? 0) > 0 || local.charts.length > 0,
  );
  assert.deepEqual(withoutRuntime(kube), withoutRuntime(local));
});

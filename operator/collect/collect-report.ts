/**
 * The operator's collect step, behind one seam (`CollectReportFn`): after the cut-off it reads the
 * producers' final ledgers and hands them, with the subject and rig Prometheus, to the one collect of
 * both runtimes (measure/collect.ts) and then to measure/assemble.ts. In a cluster the collectors'
 * counters come from the rig Prometheus (`countersFromRig`) at the fleet's start and at the cut-off.
 * Whatever it cannot read becomes a `missing` reading with the reason, so the report says what it lacks
 * instead of guessing. In the dev cluster (kwok pods run no processes) that is most of it, honestly.
 */

import { cpuMillicores, memoryBytes } from '../../api/v1alpha1/quantity.ts';
import type { CollectorName } from '../../api/v1alpha1/schema.ts';
import { ARM_NAMES, type ArmName } from '../../api/v1alpha1/schema.ts';
import type { JobLedger } from '../../loadgen/job-ledger.ts';
import { type LedgerDocument, type LedgerTotals, sumLedgerTotals } from '../../loadgen/ledger.ts';
import { assembleReport } from '../../measure/assemble.ts';
import { countersFromRig } from '../../measure/collect.ts';
import { type CollectorStatusFacts, collectorUseFromRig } from '../../measure/collector-use-from-rig.ts';
import type { LedgerPoint } from '../../measure/inputs.ts';
import { fleetLedgerBooks, type ProcessLedger } from '../../measure/ledger-books.ts';
import { fleetLedgerSeries } from '../../measure/ledger-series.ts';
import type { AppliedFault } from '../../measure/liveness.ts';
import { measureRun } from '../../measure/measure-run.ts';
import type { Report } from '../../report/types.ts';
import { fleetPlan } from '../../schedule/fleet.ts';
import type { CollectorContainer } from '../kubelet/collector-containers.ts';
import type { PodTarget, Reach } from '../reach.ts';
import { collectorResources } from '../render/collector-resources.ts';
import { RESOURCES } from '../render/pod-security.ts';
import { PORTS } from '../render/ports.ts';
import type { ExperimentObject, Images } from '../render/types.ts';
import type { ScheduleFacts } from '../status/compute.ts';

/** A producer pod and what it runs. */
export interface ProducerPod extends PodTarget {
  uid?: string;
  arm: ArmName;
  process: number;
  /** Set when the pod's producer container restarted or terminated: when, and how it ended. */
  died?: { at: string; detail: string };
}

export interface CollectInput {
  experiment: ExperimentObject;
  schedule: ScheduleFacts;
  /** The experiment's creationTimestamp. */
  createdAt: string;
  /** When the workload (collectors and producers) was first applied; default createdAt. */
  fleetStartedAt?: string;
  nowMs: number;
  producers: ProducerPod[];
  images: Images;
  /** Things the run already knows it lacks (e.g. producers the start never reached). */
  missing: string[];
  /** The game day's faults the operator applied, with their instants. */
  faults?: AppliedFault[];
  /** The short-lived jobs' ledgers (their pods' termination messages) and the jobs that left none. */
  jobs?: { ledgers: JobLedger[]; missing: string[] };
  /** The collector containers of the experiment's pods at collection (restarts, OOM kills). */
  collectorPods?: CollectorContainer[];
  /** Where the rig Prometheus reached the operator's kubelet relay; undefined: it scraped no kubelet. */
  kubeletRelay?: string;
}

/** The operator's default resources of each collector's container (operator/render/). */
const DEFAULT_RESOURCES = {
  prometheus: RESOURCES.prometheus,
  statsd: RESOURCES.statsdExporter,
  otelcol: RESOURCES.otelcol,
  pushgateway: RESOURCES.statsdExporter,
} as const;

/** The limits a collector's container had: its budget, else the operator's defaults. */
function containerLimits(x: ExperimentObject, collector: CollectorName) {
  const r = collectorResources(x.spec, collector, DEFAULT_RESOURCES[collector]);
  return { cpuMillicores: cpuMillicores(r.limits.cpu), memoryBytes: memoryBytes(r.limits.memory) };
}

/** Each collector's restarts and OOM kills, summed over its pods. */
function statusFacts(pods: readonly CollectorContainer[]): CollectorStatusFacts[] {
  const out = new Map<CollectorName, CollectorStatusFacts>();
  for (const p of pods) {
    const f = out.get(p.collector) ?? { collector: p.collector, restarts: 0, oomKilledAt: [] };
    f.restarts += p.restarts;
    f.oomKilledAt.push(...p.oomKilledAt);
    out.set(p.collector, f);
  }
  return [...out.values()];
}

export interface CollectDeps {
  reach: Reach;
}

/** The seam the reconciler calls; tests and a future measure/ entry point can replace it. */
export type CollectReportFn = (input: CollectInput, deps: CollectDeps) => Promise<Report>;

const iso = (ms: number) => new Date(ms).toISOString();

/** What the producers' ledgers gave: totals per arm (null: a pod did not answer) and each process's ledger. */
interface LedgersRead {
  totals: Partial<Record<ArmName, LedgerTotals | null>>;
  processes: ProcessLedger[];
  series: Partial<Record<ArmName, LedgerPoint[]>>;
}

async function readLedgers(producers: ProducerPod[], reach: Reach, missing: string[]): Promise<LedgersRead> {
  const results = await Promise.all(
    producers.map(async (p): Promise<{ p: ProducerPod; doc: LedgerDocument | null; error?: string }> => {
      try {
        const doc = (await reach.ledger(p)) as Partial<LedgerDocument> | null;
        if (!doc?.totals) throw new Error('the answer has no totals');
        return { p, doc: doc as LedgerDocument };
      } catch (err) {
        return { p, doc: null, error: (err as Error).message };
      }
    }),
  );
  for (const r of results) {
    if (r.error !== undefined) {
      missing.push(
        `ledger of ${r.p.arm} process ${r.p.process} (pod ${r.p.name}) could not be read: ${r.error}`,
      );
    }
  }
  const totals: Partial<Record<ArmName, LedgerTotals | null>> = {};
  for (const arm of new Set(producers.map((p) => p.arm))) {
    const docs = results.filter((r) => r.p.arm === arm).map((r) => r.doc);
    // A partial sum would read as the arm's total: one unread ledger makes the arm's totals unknown.
    totals[arm] = docs.some((d) => d === null) ? null : sumLedgerTotals(docs.map((d) => d!.totals));
  }
  const processes = results.map(({ p, doc }) => ({ name: `${p.arm}/${p.process}`, arm: p.arm, doc }));
  return { totals, processes, series: fleetLedgerSeries(processes) };
}

/** Producer pods whose container restarted or ended during the run: the verdict must know. */
function producersDied(producers: readonly ProducerPod[]): Report['rig']['producersDied'] {
  return producers
    .filter((p) => p.died)
    .map((p) => ({
      arm: p.arm,
      process: p.process,
      at: p.died!.at,
      detail: `pod ${p.name}: ${p.died!.detail}`,
    }));
}

/** The default collect step. */
export const collectReport: CollectReportFn = async (input, { reach }) => {
  const x = input.experiment;
  const s = input.schedule;
  const missing = [...input.missing];
  const ledgers = await readLedgers(input.producers, reach, missing);
  const ledgerFinal = ledgers.totals;
  for (const arm of ARM_NAMES) {
    if (x.spec.arms[arm] && !input.producers.some((p) => p.arm === arm)) {
      missing.push(`no ${arm} producer pod was found at collection time`);
      ledgerFinal[arm] = null;
    }
  }
  const subject = reach.prometheus(x, 'subject');
  const rig = reach.prometheus(x, 'rig');
  const scope = { experiment: x.metadata.name };
  const statsdUdpPort = x.spec.arms.statsd ? PORTS.statsdUdp : null;
  const fleetStartMs = Date.parse(input.fleetStartedAt ?? input.createdAt);
  const counters = (at: number, fresh: boolean) =>
    countersFromRig({ rig, scope, spec: x.spec, statsdUdpPort, at: at / 1000, fresh });
  const measurement = await measureRun({
    name: x.metadata.name,
    namespace: x.metadata.namespace,
    runtime: 'kubernetes',
    spec: x.spec,
    run: {
      startedAt: input.createdAt,
      loadStartAt: iso(s.startAtMs),
      loadEndAt: iso(s.loadEndMs),
      cutoffAt: iso(s.drainEndMs),
      outcome: 'completed',
      missing,
    },
    tools: {
      ...input.images,
      runtime: 'kubernetes (the machine is the operator’s host, not the producers’ nodes)',
    },
    phases: s.phases,
    ledgerFinal,
    ledgerSeries: ledgers.series,
    // One read after the drain: the producers' slot rings are sized to still hold the whole schedule.
    ledgerBooks: fleetLedgerBooks(ledgers.processes),
    producersDied: producersDied(input.producers),
    measured: {
      subject,
      rig,
      // The producers run on after the drain: the cut-off is its end, for pull and push alike.
      window: { fromMs: fleetStartMs, stoppingAtMs: s.drainEndMs, cutOffAtMs: s.drainEndMs },
      // The collectors were made for this experiment: before the fleet started their counters were 0.
      baseline: await counters(fleetStartMs, true),
      final: await counters(s.drainEndMs, false),
      statsdUdpPort,
      pullTargets: fleetPlan(x.spec).producers,
      faults: input.faults ?? [],
      ...(input.jobs ? { jobs: input.jobs } : {}),
    },
    now: () => input.nowMs,
  });
  measurement.collectorResources = await collectorUseFromRig({
    rig,
    scope,
    spec: x.spec,
    window: { from: fleetStartMs / 1000, at: s.drainEndMs / 1000 },
    limits: (c) => containerLimits(x, c),
    statuses: statusFacts(input.collectorPods ?? []),
    phases: s.phases,
    ...(input.kubeletRelay
      ? {}
      : {
          notScraped:
            'not measured: the operator runs without --kubelet-relay-address (outside the cluster), so the rig Prometheus scraped no kubelet',
        }),
  });
  return assembleReport(measurement);
};

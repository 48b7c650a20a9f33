/**
 * The measurement of a run, once for both runtimes: from what the runtime's adapter gathered (the run's
 * facts, the producers' ledgers, the collectors' counters at the baseline and the cut-off, the faults it
 * applied) and the two Prometheus clients, the MeasurementInput that assemble turns into report.json.
 * The windows follow one rule: pull figures end one scrape timeout before the producers were told to stop
 * (locally at the cut-off; in a cluster they run on, so at the end of the drain), push series and alerts
 * at the cut-off, alerts no later than the stop either. local/rehearsal.ts, local/recover.ts and the
 * operator's collect step call it.
 */
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { detectableArms } from '../collectors/liveness.ts';
import { pullWindowEndMs } from '../driver/stage-machine.ts';
import type { JobLedger } from '../loadgen/job-ledger.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import type { Report } from '../report/types.ts';
import { type CollectorCounters, collectArms, collectFiringAlerts } from './collect.ts';
import { collectJobs } from './collect-jobs.ts';
import type { LedgerBooks, LedgerPoint, MeasurementInput } from './inputs.ts';
import type { AppliedFault } from './liveness.ts';
import type { MachineSample } from './machine-load.ts';
import type { PromClient } from './prom-api.ts';
import { machineInfo, phaseWindows, type WallClockPhase } from './run-facts.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** When the run's measurement windows start and end, unix ms. */
export interface RunWindow {
  fromMs: number;
  /** When the producers were told to stop (or would be, in a cluster: the end of the drain). */
  stoppingAtMs: number;
  cutOffAtMs: number;
}

export interface MeasureRunOptions {
  name: string;
  namespace?: string;
  runtime: Report['experiment']['runtime'];
  spec: ExperimentSpec;
  /** The run's facts; `finishedAt` is set here. */
  run: Omit<Report['run'], 'finishedAt'>;
  tools: Report['tools'];
  phases: readonly WallClockPhase[];
  ledgerFinal: Partial<Record<keyof ExperimentSpec['arms'], LedgerTotals | null>>;
  ledgerSeries: Partial<Record<keyof ExperimentSpec['arms'], LedgerPoint[]>>;
  ledgerBooks: LedgerBooks;
  producersDied: Report['rig']['producersDied'];
  /** The machine's CPU busy and pressure, sampled during the run (locally; absent in a cluster). */
  machineSamples?: MachineSample[];
  /** Null when nothing could be measured (the run stopped before its load was scheduled). */
  measured: {
    subject: PromClient;
    rig: PromClient;
    window: RunWindow;
    baseline: CollectorCounters;
    final: CollectorCounters;
    statsdUdpPort: number | null;
    pullTargets: number;
    faults: AppliedFault[];
    /** The short-lived jobs' ledgers and the jobs that left none (with spec.jobs). */
    jobs?: { ledgers: JobLedger[]; missing: string[] };
    /** net.core.rmem_max of the collector's namespace, when known (the receive buffer's cap). */
    rmemMaxBytes?: number | null;
  } | null;
  now: () => number;
}

/** The MeasurementInput of a run. */
export async function measureRun(o: MeasureRunOptions): Promise<MeasurementInput> {
  const input: MeasurementInput = {
    name: o.name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    runtime: o.runtime,
    spec: o.spec,
    run: { ...o.run, finishedAt: iso(o.now()) },
    machine: machineInfo(),
    tools: o.tools,
    phases: phaseWindows(o.spec, o.phases),
    ledgerFinal: o.ledgerFinal,
    ledgerSeries: o.ledgerSeries,
    ledgerBooks: o.ledgerBooks,
    producersDied: o.producersDied,
    ...(o.machineSamples ? { machineSamples: o.machineSamples } : {}),
  };
  const m = o.measured;
  if (!m) return input;
  const scope = { experiment: o.name };
  const from = m.window.fromMs / 1000;
  const stopping = Math.min(m.window.stoppingAtMs, m.window.cutOffAtMs);
  Object.assign(
    input,
    await collectArms({
      scope,
      spec: o.spec,
      subject: m.subject,
      rig: m.rig,
      pullWindow: { from, at: pullWindowEndMs(stopping, o.spec.arms.pull?.scrapeTimeoutSeconds) / 1000 },
      pushWindow: { from, at: m.window.cutOffAtMs / 1000 },
      baseline: m.baseline,
      final: m.final,
      statsdUdpPort: m.statsdUdpPort,
      pullTargets: m.pullTargets,
      ...(m.rmemMaxBytes !== undefined ? { rmemMaxBytes: m.rmemMaxBytes } : {}),
    }),
  );
  if (o.spec.faults?.length) {
    input.liveness = {
      faults: m.faults,
      // Up to the moment the producers were told to stop: their shutdown is no fault.
      alerts: await collectFiringAlerts(m.subject, scope, { from, at: stopping / 1000 }),
      watched: detectableArms(o.spec),
    };
  }
  if (o.spec.jobs?.length) {
    // Jobs that left no ledger are not in the books of any batch: the report says which.
    input.run.missing.push(...(m.jobs?.missing ?? ['the runtime read no job ledgers']));
    input.jobs = await collectJobs({
      spec: o.spec,
      scope,
      subject: m.subject,
      window: { from, at: m.window.cutOffAtMs / 1000 },
      ledgers: m.jobs?.ledgers ?? [],
      missing: m.jobs?.missing ?? ['the runtime read no job ledgers'],
    });
  }
  input.run.finishedAt = iso(o.now());
  return input;
}

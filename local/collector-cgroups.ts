/**
 * The collectors under test in their cgroups, for one local rehearsal: which collector each arm has,
 * each one's cgroup with the budget of spec.collectors, the readings at the baseline and the cut-off, and
 * the raw resources the measurement pipeline turns into report.json's `collectors`. Called by
 * local/rehearsal.ts; the cgroup mechanics are local/cgroups.ts.
 */
import { collectorBudget, collectorsUnderTest } from '../api/v1alpha1/derived.ts';
import { ARM_NAMES, type ArmName, type CollectorName, type ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { RawCollectorResources, RawProducerCpu } from '../measure/inputs.ts';
import { type CgroupReading, usageBetween } from './cgroup-files.ts';
import { type CollectorCgroup, RunCgroups } from './cgroups.ts';

/** The supervisor's process name of each collector under test (local/collectors.ts names them). */
export const COLLECTOR_OF_PROCESS: Readonly<Record<string, CollectorName>> = {
  'prometheus-subject': 'prometheus',
  statsd_exporter: 'statsd',
  otelcol: 'otelcol',
  pushgateway: 'pushgateway',
};

/** Readings of every collector cgroup at one instant. */
export type CollectorReadings = Partial<Record<CollectorName, CgroupReading>>;

/** The run's collector cgroups, or why there are none. */
export type CollectorCgroups =
  | {
      ok: true;
      run: RunCgroups;
      procsFiles(collector: CollectorName): string[];
      readAll(): CollectorReadings;
      of: Partial<Record<CollectorName, CollectorCgroup>>;
      /** Each arm's producers, unlimited: their CPU is the rig's own share. */
      producerProcsFiles(arm: ArmName): string[];
      readProducers(): Partial<Record<ArmName, CgroupReading>>;
    }
  | { ok: false; reason: string };

/** Does the spec budget any collector it runs? */
export function hasBudgets(spec: ExperimentSpec): boolean {
  return collectorsUnderTest(spec).some(([c]) => {
    const b = collectorBudget(spec, c);
    return b.cpuMillicores !== null || b.memoryBytes !== null;
  });
}

/** Makes a cgroup per collector under test (limits where the spec budgets them). */
export function openCollectorCgroups(spec: ExperimentSpec): CollectorCgroups {
  const opened = RunCgroups.open();
  if (!opened.ok) return opened;
  const run = opened.cgroups;
  const of: Partial<Record<CollectorName, CollectorCgroup>> = {};
  const producers: Partial<Record<ArmName, CollectorCgroup>> = {};
  try {
    for (const [c] of collectorsUnderTest(spec)) of[c] = run.create(c, collectorBudget(spec, c));
    for (const arm of ARM_NAMES) {
      if (spec.arms[arm])
        producers[arm] = run.create(`producers-${arm}`, { cpuMillicores: null, memoryBytes: null });
    }
  } catch (err) {
    run.remove();
    return { ok: false, reason: `cannot make the collectors' cgroups: ${(err as Error).message}` };
  }
  return {
    ok: true,
    run,
    of,
    procsFiles: (c) => (of[c] ? run.procsFiles(of[c]) : []),
    producerProcsFiles: (arm) => (producers[arm] ? run.procsFiles(producers[arm]) : []),
    readProducers: () => {
      const out: Partial<Record<ArmName, CgroupReading>> = {};
      for (const [arm, cg] of Object.entries(producers) as [ArmName, CollectorCgroup][])
        out[arm] = run.read(cg);
      return out;
    },
    readAll: () => {
      const out: CollectorReadings = {};
      for (const [c, cg] of Object.entries(of) as [CollectorName, CollectorCgroup][]) out[c] = run.read(cg);
      return out;
    },
  };
}

export interface CollectorResourcesOptions {
  spec: ExperimentSpec;
  cgroups: CollectorCgroups;
  baseline: CollectorReadings | null;
  final: CollectorReadings | null;
  /** ISO time each collector exited unexpectedly. */
  exits: Partial<Record<CollectorName, string>>;
}

/** The CPU each arm's producers used, from their cgroups, over `windowSeconds` (fleet start to cut-off). */
export function producerCpu(
  spec: ExperimentSpec,
  cgroups: CollectorCgroups,
  readings: Partial<Record<ArmName, CgroupReading>> | null,
  windowSeconds: number,
): RawProducerCpu[] {
  return ARM_NAMES.filter((arm) => spec.arms[arm]).map((arm): RawProducerCpu => {
    const source = cgroups.ok ? `cgroup v${cgroups.run.version} producers-${arm}: CPU time` : 'cgroups';
    const cpu = readings?.[arm]?.cpuSeconds ?? null;
    if (!cgroups.ok) return { arm, cpuSeconds: null, windowSeconds, source, missing: cgroups.reason };
    return cpu === null
      ? { arm, cpuSeconds: null, windowSeconds, source, missing: 'the cgroup was not read' }
      : { arm, cpuSeconds: cpu, windowSeconds, source };
  });
}

/** The raw resources of each collector under test, each reading missing with its reason. */
export function collectorResources(options: CollectorResourcesOptions): RawCollectorResources[] {
  const { spec, cgroups, baseline, final, exits } = options;
  return collectorsUnderTest(spec).map(([collector, arm]): RawCollectorResources => {
    const limits = collectorBudget(spec, collector);
    const exitedAt = exits[collector];
    const common = { collector, arm, limits, restarts: 0, ...(exitedAt ? { exitedAt } : {}) };
    if (!cgroups.ok) return { ...common, use: null, source: 'cgroups', missing: cgroups.reason };
    const cg = cgroups.of[collector];
    const source = `cgroup v${cgroups.run.version} ${cg?.name ?? collector}`;
    const from = baseline?.[collector];
    const to = final?.[collector];
    if (!from || !to) {
      return {
        ...common,
        use: null,
        source,
        missing: 'the cgroup was not read at both the baseline and the cut-off',
      };
    }
    return { ...common, use: usageBetween(from, to), source };
  });
}

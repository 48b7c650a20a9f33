/**
 * Numbers every part of the rig derives from a validated spec the same way: producers after `scale`,
 * processes per arm, the enabled arms and the length of the schedule. Used by the cross-field rules,
 * `pushpull validate`'s summary, the local runtime and the operator, so they never disagree.
 */
import { cpuMillicores, memoryBytes } from './quantity.ts';
import { ARM_NAMES, type ArmName, type CollectorName, type ExperimentSpec } from './schema.ts';

/** Virtual producers per arm after `scale`: `round(producers × scale)`, at least one. */
export function scaledProducers(spec: Pick<ExperimentSpec, 'fleet' | 'scale'>): number {
  return Math.max(1, Math.round(spec.fleet.producers * spec.scale));
}

/** Producer processes (pods) per arm after `scale`. */
export function processesPerArm(spec: Pick<ExperimentSpec, 'fleet' | 'scale'>): number {
  return Math.ceil(scaledProducers(spec) / spec.fleet.producersPerProcess);
}

/** The arms the spec enables, in the canonical order pull, statsd, otlp. */
export function enabledArms(spec: Pick<ExperimentSpec, 'arms'>): ArmName[] {
  return ARM_NAMES.filter((name) => spec.arms[name] !== undefined);
}

/** Sum of the phase durations, in seconds, added in order (as CEL's `sum()` does). */
export function phasesSeconds(spec: Pick<ExperimentSpec, 'load'>): number {
  let total = 0;
  for (const phase of spec.load.phases) total += phase.durationSeconds;
  return total;
}

/**
 * The schedule's length in seconds: warm-up (only when `startAt` is not set) + phases + drain. The
 * operands are added in the same order as the CRD's CEL rule so both round identically.
 */
export function scheduleSeconds(spec: Pick<ExperimentSpec, 'load' | 'collection'>): number {
  const warmup = spec.load.startAt === undefined ? spec.load.warmupSeconds : 0;
  return warmup + phasesSeconds(spec) + spec.collection.drainSeconds;
}

/**
 * The collectors under test of a spec with the arm each collects for: the Pushgateway (for the pull arm)
 * only when a batch of short-lived jobs pushes to it.
 */
export function collectorsUnderTest(
  spec: Pick<ExperimentSpec, 'arms'> & Partial<Pick<ExperimentSpec, 'jobs'>>,
): Array<[CollectorName, ArmName]> {
  const all: Array<[CollectorName, ArmName]> = [
    ['prometheus', 'pull'],
    ['statsd', 'statsd'],
    ['otelcol', 'otlp'],
  ];
  const out = all.filter(([, arm]) => spec.arms[arm] !== undefined);
  if (usesPushgateway(spec)) out.push(['pushgateway', 'pull']);
  return out;
}

/** Whether a batch of spec.jobs pushes to the Pushgateway (which then runs as a collector). */
export function usesPushgateway(spec: Partial<Pick<ExperimentSpec, 'jobs'>>): boolean {
  return (spec.jobs ?? []).some((b) => b.path === 'pushgateway');
}

/** One collector's budget as numbers: null where the spec sets no limit. */
export interface ResolvedBudget {
  cpuMillicores: number | null;
  memoryBytes: number | null;
}

/**
 * A collector's budget after `collectors.scaleWithFleet`: each limit times `scale` when set (CPU at
 * least 1m, memory rounded up to a whole KiB), else as written.
 */
export function collectorBudget(
  spec: Pick<ExperimentSpec, 'collectors' | 'scale'>,
  name: CollectorName,
): ResolvedBudget {
  const budget = spec.collectors?.[name];
  const factor = spec.collectors?.scaleWithFleet ? spec.scale : 1;
  const cpu = budget?.cpu === undefined ? null : cpuMillicores(budget.cpu);
  const memory = budget?.memory === undefined ? null : memoryBytes(budget.memory);
  return {
    cpuMillicores: cpu === null ? null : Math.max(1, Math.round(cpu * factor)),
    memoryBytes: memory === null ? null : factor === 1 ? memory : Math.ceil((memory * factor) / 1024) * 1024,
  };
}

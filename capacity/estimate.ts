/**
 * Will this spec fit this machine? A pure estimate, made before anything starts, of what a spec needs
 * (producer processes, their threads and memory, the producers' CPU at the peak rate, from the measured
 * costs in capacity/costs.ts) set against what the machine has (capacity/host.ts reads it). `pushpull run`
 * refuses a spec that does not fit, with the numbers; `pushpull validate --machine` prints the same check.
 */
import { collectorBudget, enabledArms, processesPerArm, usesPushgateway } from '../api/v1alpha1/derived.ts';
import type { ArmName, CollectorName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { UsageError } from '../errors/usage-error.ts';
import { buildRateSchedule } from '../schedule/rate.ts';
import {
  CPU_US_PER_EVENT,
  PRODUCER_PROCESS_RSS_BYTES,
  PRODUCER_PROCESS_THREADS,
  type ProducerPath,
  producerPath,
} from './costs.ts';

/** What the machine offers, each figure possibly unknown (null) with the reason. */
export interface HostCapacity {
  /** CPUs this process may run on. */
  cores: number;
  memoryTotalBytes: number;
  /** `MemAvailable` of /proc/meminfo (or free memory where it is missing). */
  memoryAvailableBytes: number;
  /** Threads that may still be created: the lowest of pid_max, threads-max and RLIMIT_NPROC, less those running. */
  threadsAvailable: number | null;
  /** Where each figure came from, or why it is missing. */
  notes: string[];
}

/** One arm's share of the needs. */
export interface ArmNeeds {
  arm: ArmName;
  path: ProducerPath;
  processes: number;
  memoryBytes: number;
  /** CPU cores its producers keep busy at the peak rate. */
  cpuCores: number;
  cpuUsPerEvent: number;
}

/** What a spec needs from the machine. */
export interface RigNeeds {
  arms: ArmNeeds[];
  /** Fleet-wide events per second at the peak, after scale (each arm's fleet generates this rate). */
  peakEventsPerSecond: number;
  producerProcesses: number;
  /** Collector processes the local runtime starts (subject and rig Prometheus, UDP counters, one per push arm). */
  collectorProcesses: number;
  threads: number;
  /** Producers' resident memory plus the collectors' memory budgets where the spec sets them. */
  memoryBytes: number;
  cpuCores: number;
  /** What the estimate leaves out, so nobody reads it as the whole bill. */
  notCounted: string[];
}

export type CapacityResource = 'memory' | 'cpu' | 'threads';

/** A resource the spec needs more of than the machine has. */
export interface Shortfall {
  resource: CapacityResource;
  needed: number;
  available: number;
  /** One line for a person: what is needed, what the machine has, what to change. */
  sentence: string;
}

/** The check's answer. */
export interface CapacityCheck {
  fits: boolean;
  needs: RigNeeds;
  host: HostCapacity;
  shortfalls: Shortfall[];
  /** Fits, but close: e.g. the producers alone take over half the cores, so arms will compete for CPU. */
  warnings: string[];
}

/** Share of the cores the producers may take before the run is warned it will be machine-limited. */
export const CPU_WARN_SHARE = 0.5;

/** Collector processes of the local runtime for this spec. */
export function collectorProcessCount(
  spec: Pick<ExperimentSpec, 'arms'> & Partial<Pick<ExperimentSpec, 'jobs'>>,
): number {
  return 3 + (spec.arms.statsd ? 1 : 0) + (spec.arms.otlp ? 1 : 0) + (usesPushgateway(spec) ? 1 : 0);
}

/** The short-lived jobs alive at most at once (each batch's maxConcurrent), with their resident memory. */
function jobsAtOnce(spec: ExperimentSpec): { processes: number; memoryBytes: number } {
  let processes = 0;
  let memoryBytes = 0;
  for (const b of spec.jobs ?? []) {
    const arm: ArmName = b.path === 'pull-direct' || b.path === 'pushgateway' ? 'pull' : b.path;
    processes += b.maxConcurrent;
    memoryBytes += b.maxConcurrent * PRODUCER_PROCESS_RSS_BYTES[arm].value;
  }
  return { processes, memoryBytes };
}

/** The peak fleet-wide event rate after scale. */
export function peakEventsPerSecond(spec: Pick<ExperimentSpec, 'load' | 'scale'>): number {
  let peak = 0;
  for (const p of buildRateSchedule(spec.load.phases, spec.scale).phases) peak = Math.max(peak, p.rate);
  return peak;
}

/** Memory budgets of the collectors this spec starts (spec.collectors), bytes; null when none is set. */
export function collectorsMemoryBudget(spec: ExperimentSpec): number | null {
  const names: CollectorName[] = ['prometheus'];
  if (spec.arms.statsd) names.push('statsd');
  if (spec.arms.otlp) names.push('otelcol');
  let total: number | null = null;
  for (const name of names) {
    const bytes = collectorBudget(spec, name).memoryBytes;
    if (bytes !== null) total = (total ?? 0) + bytes;
  }
  return total;
}

/** What the spec needs from the machine, from the measured costs. */
export function estimateNeeds(spec: ExperimentSpec): RigNeeds {
  const collectorsMemory = collectorsMemoryBudget(spec);
  const processes = processesPerArm(spec);
  const peak = peakEventsPerSecond(spec);
  const arms = enabledArms(spec).map((arm): ArmNeeds => {
    const path = producerPath(arm, spec);
    const us = CPU_US_PER_EVENT[path].value;
    return {
      arm,
      path,
      processes,
      memoryBytes: processes * PRODUCER_PROCESS_RSS_BYTES[arm].value,
      cpuCores: (peak * us) / 1e6,
      cpuUsPerEvent: us,
    };
  });
  const producerProcesses = processes * arms.length;
  const notCounted = [
    "the collectors' CPU (Prometheus, statsd_exporter, otelcol use what the load makes them use)",
    "the producers' cost of serving scrapes and exports beyond the per-event cost",
  ];
  if (collectorsMemory === null) notCounted.push("the collectors' memory (no memory in spec.collectors)");
  const jobs = jobsAtOnce(spec);
  if (jobs.processes > 0) {
    notCounted.push(
      `the short-lived jobs' CPU (at most ${jobs.processes} at once; their memory and threads are counted like a producer process each)`,
    );
  }
  return {
    arms,
    peakEventsPerSecond: peak,
    producerProcesses,
    collectorProcesses: collectorProcessCount(spec),
    threads: (producerProcesses + jobs.processes) * PRODUCER_PROCESS_THREADS.value,
    memoryBytes: sum(arms.map((a) => a.memoryBytes)) + jobs.memoryBytes + (collectorsMemory ?? 0),
    cpuCores: sum(arms.map((a) => a.cpuCores)),
    notCounted,
  };
}

/** Sets the needs against the machine: a shortfall for each resource the spec needs more of. */
export function checkCapacity(needs: RigNeeds, host: HostCapacity): CapacityCheck {
  const shortfalls: Shortfall[] = [];
  const warnings: string[] = [];
  const procs = `${fmtInt(needs.producerProcesses)} producer processes`;
  if (needs.memoryBytes > host.memoryAvailableBytes) {
    shortfalls.push({
      resource: 'memory',
      needed: needs.memoryBytes,
      available: host.memoryAvailableBytes,
      sentence: `memory: needs at least ${fmtBytes(needs.memoryBytes)} (${procs} at ${perProcessMiB(needs)} each), this machine has ${fmtBytes(host.memoryAvailableBytes)} available of ${fmtBytes(host.memoryTotalBytes)}; raise fleet.producersPerProcess or lower scale`,
    });
  }
  if (host.threadsAvailable !== null && needs.threads > host.threadsAvailable) {
    shortfalls.push({
      resource: 'threads',
      needed: needs.threads,
      available: host.threadsAvailable,
      sentence: `processes: needs ${procs} (${fmtInt(needs.threads)} threads), this machine allows ${fmtInt(host.threadsAvailable)} more threads; raise fleet.producersPerProcess or lower scale`,
    });
  }
  const cpu = `${fmt2(needs.cpuCores)} cores for the producers at the peak of ${fmtInt(needs.peakEventsPerSecond)} events/s per arm (${describeArms(needs)})`;
  if (needs.cpuCores > host.cores) {
    shortfalls.push({
      resource: 'cpu',
      needed: needs.cpuCores,
      available: host.cores,
      sentence: `cpu: needs ${cpu}, this machine has ${host.cores} cores; lower scale or the phases' eventsPerSecond`,
    });
  } else if (needs.cpuCores > host.cores * CPU_WARN_SHARE) {
    warnings.push(
      `cpu: needs ${cpu} of this machine's ${host.cores}: the collectors get what is left, so expect a machine-limited run`,
    );
  }
  return { fits: shortfalls.length === 0, needs, host, shortfalls, warnings };
}

/** The check as lines for a person: the needs, the machine, and each shortfall or warning. */
export function formatCapacity(check: CapacityCheck): string[] {
  const { needs, host } = check;
  const lines = [
    `needs: ${fmtInt(needs.producerProcesses)} producer + ${needs.collectorProcesses} collector processes, at least ${fmtBytes(needs.memoryBytes)} of memory, ${fmt2(needs.cpuCores)} cores at the peak (${fmtInt(needs.peakEventsPerSecond)} events/s per arm)`,
    `machine: ${host.cores} cores, ${fmtBytes(host.memoryAvailableBytes)} memory available of ${fmtBytes(host.memoryTotalBytes)}, ${host.threadsAvailable === null ? 'thread limit unknown' : `${fmtInt(host.threadsAvailable)} more threads allowed`}`,
  ];
  for (const s of check.shortfalls) lines.push(`does not fit: ${s.sentence}`);
  for (const w of check.warnings) lines.push(`warning: ${w}`);
  lines.push(`not counted: ${needs.notCounted.join('; ')}`);
  return lines;
}

function describeArms(needs: RigNeeds): string {
  return needs.arms.map((a) => `${a.path} ${fmt2(a.cpuCores)} at ${a.cpuUsPerEvent} µs/event`).join(', ');
}

function perProcessMiB(needs: RigNeeds): string {
  const sizes = needs.arms.map((a) => Math.round(a.memoryBytes / Math.max(1, a.processes) / 2 ** 20));
  const lo = Math.min(...sizes);
  const hi = Math.max(...sizes);
  return lo === hi ? `${lo} MiB` : `${lo}–${hi} MiB`;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function fmt2(n: number): string {
  return n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Bytes in MiB, GiB or TiB, as a person reads them. */
export function fmtBytes(bytes: number): string {
  const units = ['MiB', 'GiB', 'TiB'] as const;
  let v = bytes / 2 ** 20;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10} ${units[i]}`;
}

/** `pushpull run` refused a spec this machine cannot hold; the message carries the numbers. */
export class CapacityRefusedError extends UsageError {
  readonly check: CapacityCheck;
  constructor(check: CapacityCheck) {
    super(
      [
        'this machine cannot run the spec; nothing was started',
        ...formatCapacity(check).map((l) => `  ${l}`),
      ].join('\n'),
    );
    this.name = 'CapacityRefusedError';
    this.check = check;
  }
}

/**
 * Pure reading of the cgroup files the local runtime limits its collectors with: where each controller
 * lives (/proc/self/cgroup), and what a collector used (cpu.stat, cpuacct.usage, memory peak, OOM kills),
 * for cgroup v1 and v2. local/cgroups.ts does the file I/O; the report's per-collector resources come from
 * `usageBetween`.
 */
import type { ResourceUse } from '../measure/inputs.ts';

/** The controllers the rig uses. */
export type CgroupController = 'cpu' | 'cpuacct' | 'memory';

/** What a collector's cgroup shows at one instant. */
export interface CgroupReading {
  /** CPU time used since the cgroup was made, seconds. */
  cpuSeconds: number | null;
  /** CFS periods elapsed and throttled, and the time throttled (seconds), since the cgroup was made. */
  periods: number | null;
  throttledPeriods: number | null;
  throttledSeconds: number | null;
  /** Highest memory use since the cgroup was made, bytes. */
  memoryPeakBytes: number | null;
  memoryBytes: number | null;
  oomKills: number | null;
}

/** One collector's use between two readings (the baseline and the cut-off); the peak and kills as last read. */
export type CgroupUsage = ResourceUse;

/** The cgroup path of each v1 controller (`4:memory:/a/b` → memory: `/a/b`); `0::/x` is the v2 path. */
export function parseProcCgroup(text: string): { v1: Partial<Record<string, string>>; v2: string | null } {
  const v1: Partial<Record<string, string>> = {};
  let v2: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, controllers = '', path = '/'] = m;
    if (controllers === '') v2 = path;
    for (const c of controllers.split(',')) if (c) v1[c] = path;
  }
  return { v1, v2 };
}

/** `key value` lines (cpu.stat, memory.oom_control, memory.events) as numbers. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\d+)$/.exec(line.trim());
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** The raw files of one v1 collector cgroup; a missing file is undefined. */
export interface V1Files {
  'cpu.stat'?: string;
  'cpuacct.usage'?: string;
  'memory.max_usage_in_bytes'?: string;
  'memory.usage_in_bytes'?: string;
  'memory.oom_control'?: string;
}

/** The raw files of one v2 collector cgroup. */
export interface V2Files {
  'cpu.stat'?: string;
  'memory.peak'?: string;
  'memory.current'?: string;
  'memory.events'?: string;
}

const num = (text: string | undefined): number | null => {
  if (text === undefined || !/^\d+\s*$/.test(text)) return null;
  return Number(text.trim());
};
const scaled = (x: number | undefined | null, perSecond: number): number | null =>
  x === undefined || x === null ? null : x / perSecond;

/** A reading from v1 files (times in nanoseconds there). */
export function readingV1(files: V1Files): CgroupReading {
  const cpu = files['cpu.stat'] === undefined ? {} : parseKeyValues(files['cpu.stat']);
  const oom = files['memory.oom_control'] === undefined ? {} : parseKeyValues(files['memory.oom_control']);
  return {
    cpuSeconds: scaled(num(files['cpuacct.usage']), 1e9),
    periods: cpu.nr_periods ?? null,
    throttledPeriods: cpu.nr_throttled ?? null,
    throttledSeconds: scaled(cpu.throttled_time, 1e9),
    memoryPeakBytes: num(files['memory.max_usage_in_bytes']),
    memoryBytes: num(files['memory.usage_in_bytes']),
    oomKills: oom.oom_kill ?? null,
  };
}

/** A reading from v2 files (times in microseconds there). */
export function readingV2(files: V2Files): CgroupReading {
  const cpu = files['cpu.stat'] === undefined ? {} : parseKeyValues(files['cpu.stat']);
  const events = files['memory.events'] === undefined ? {} : parseKeyValues(files['memory.events']);
  return {
    cpuSeconds: scaled(cpu.usage_usec, 1e6),
    periods: cpu.nr_periods ?? null,
    throttledPeriods: cpu.nr_throttled ?? null,
    throttledSeconds: scaled(cpu.throttled_usec, 1e6),
    memoryPeakBytes: num(files['memory.peak']),
    memoryBytes: num(files['memory.current']),
    oomKills: events.oom_kill ?? null,
  };
}

/** What a collector used from `from` (the baseline) to `to` (the cut-off). */
export function usageBetween(from: CgroupReading, to: CgroupReading): CgroupUsage {
  // Rounded to the nanosecond the files count in, so 2.0000001 − 0.0000001 reads 2.
  const delta = (a: number | null, b: number | null) =>
    a === null || b === null ? null : Math.max(0, Math.round((b - a) * 1e9) / 1e9);
  return {
    cpuSeconds: delta(from.cpuSeconds, to.cpuSeconds),
    periods: delta(from.periods, to.periods),
    throttledPeriods: delta(from.throttledPeriods, to.throttledPeriods),
    throttledSeconds: delta(from.throttledSeconds, to.throttledSeconds),
    memoryPeakBytes: to.memoryPeakBytes,
    oomKills: to.oomKills,
  };
}

/** v1 `cpu.cfs_quota_us` for a limit in millicores over `periodUs` (the kernel's default period 100 ms). */
export function cfsQuotaUs(millicores: number, periodUs = 100_000): number {
  // The kernel's floor is 1 ms.
  return Math.max(1000, Math.round((millicores / 1000) * periodUs));
}

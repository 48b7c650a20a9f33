/**
 * Was the machine itself the limit? From samples of the host's CPU counters (/proc/stat busy and total
 * ticks, /proc/pressure/cpu `some` stall time) taken through the run, the CPU busy share and the CPU
 * pressure share over the burst; a run whose machine was saturated then — its cores busy at least
 * BUSY_SATURATED of the time — had arms competing for CPU, and is marked machine-limited so the
 * verdict never reads it as an arm's failure. Pure; the local runtime samples, measure/assemble.ts calls it.
 */
import type { Figure, MachineLoad, PhaseWindow } from '../report/types.ts';

/** One reading of the host's CPU counters. */
export interface MachineSample {
  /** Unix seconds. */
  atSeconds: number;
  /** /proc/stat `cpu` line: ticks not idle or iowait, and all ticks. */
  busyTicks: number;
  totalTicks: number;
  /** /proc/pressure/cpu `some total=` microseconds; null where the kernel has no PSI. */
  pressureSomeUs: number | null;
}

/** CPU busy share at or above which the machine counts as saturated. */
export const BUSY_SATURATED = 0.9;
/**
 * CPU pressure is reported beside the busy share but does not decide: on a shared virtual machine the
 * host-wide `some` share is high whenever anything else runs (97% was seen with a quarter of the CPU
 * idle), so it cannot tell the rig's own saturation from a neighbour's.
 */

/** Parses /proc/stat's first line into busy and total ticks (busy = total − idle − iowait). */
export function parseProcStat(text: string): { busyTicks: number; totalTicks: number } | null {
  const m = /^cpu\s+(.+)$/m.exec(text);
  if (!m) return null;
  const f = m[1]!.trim().split(/\s+/).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return null;
  // user nice system idle iowait irq softirq steal (guest fields are already in user/nice).
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total };
}

/** Parses /proc/pressure/cpu's `some ... total=N` (microseconds), or null. */
export function parseCpuPressure(text: string): number | null {
  const m = /^some .*\btotal=(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** The machine's load over the burst (the phase with the highest rate), or over all samples. */
export function machineLoad(samples: readonly MachineSample[], phases: readonly PhaseWindow[]): MachineLoad {
  let burst: PhaseWindow | null = null;
  for (const p of phases) if (!burst || p.eventsPerSecond > burst.eventsPerSecond) burst = p;
  const from = burst ? Date.parse(burst.startAt) / 1000 : Number.NEGATIVE_INFINITY;
  const to = burst ? Date.parse(burst.endAt) / 1000 : Number.POSITIVE_INFINITY;
  const inWindow = samples.filter((s) => s.atSeconds >= from && s.atSeconds <= to);
  const window = burst ? `phase ${burst.name}` : 'the run';
  const source = `/proc/stat cpu (busy = all − idle − iowait) over ${window}`;
  const psiSource = `/proc/pressure/cpu some total over ${window}`;
  const first = inWindow[0];
  const last = inWindow[inWindow.length - 1];
  if (!first || !last || last.atSeconds <= first.atSeconds || last.totalTicks <= first.totalTicks) {
    const missing = `fewer than two machine samples in ${window}`;
    return {
      window,
      cpuBusy: { value: null, unit: 'ratio', source, missing },
      cpuPressure: { value: null, unit: 'ratio', source: psiSource, missing },
      limited: false,
    };
  }
  const busy = (last.busyTicks - first.busyTicks) / (last.totalTicks - first.totalTicks);
  const pressure: Figure =
    first.pressureSomeUs === null || last.pressureSomeUs === null
      ? { value: null, unit: 'ratio', source: psiSource, missing: 'this kernel has no /proc/pressure/cpu' }
      : {
          value: (last.pressureSomeUs - first.pressureSomeUs) / ((last.atSeconds - first.atSeconds) * 1e6),
          unit: 'ratio',
          source: psiSource,
        };
  const reasons: string[] = [];
  if (busy >= BUSY_SATURATED) {
    reasons.push(`CPU ${Math.round(busy * 100)}% busy`);
    if (pressure.value !== null)
      reasons.push(`tasks waited for a CPU ${Math.round(pressure.value * 100)}% of the time`);
  }
  return {
    window,
    cpuBusy: { value: busy, unit: 'ratio', source },
    cpuPressure: pressure,
    limited: reasons.length > 0,
    ...(reasons.length > 0
      ? { reason: `the machine was saturated in ${window} (${reasons.join(', ')})` }
      : {}),
  };
}

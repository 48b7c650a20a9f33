/**
 * The run's facts every report carries, built the same way by both runtimes: the machine the rig ran on
 * and the phases on the wall clock. measure/collect.ts supplies the arms' raw material; the driver adds
 * these, and measure/assemble.ts turns the whole into report.json.
 */
import { cpus, hostname, release, totalmem } from 'node:os';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { PhaseWindow, Report } from '../report/types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** This machine, as the report describes it. */
export function machineInfo(): Report['machine'] {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    kernel: release(),
    node: process.version,
  };
}

/** A phase on the wall clock, as both runtimes' timelines have it. */
export interface WallClockPhase {
  name: string;
  startMs: number;
  endMs: number;
}

/** The phases with their windows and the fleet rate they asked for (after `scale`). */
export function phaseWindows(spec: ExperimentSpec, phases: readonly WallClockPhase[]): PhaseWindow[] {
  return phases.map((p, i) => ({
    name: p.name,
    startAt: iso(p.startMs),
    endAt: iso(p.endMs),
    eventsPerSecond: (spec.load.phases[i]?.eventsPerSecond ?? 0) * spec.scale,
  }));
}

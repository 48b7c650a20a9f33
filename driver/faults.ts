/**
 * The game day's faults on the wall clock, as pure functions: when each fault of `spec.faults` happens
 * (its phase's start plus its offset), which producer processes it takes (whole processes, the last ones of
 * the arm not taken by an earlier fault, enough to cover the asked count or share), and which are due now. Both runtimes apply them —
 * locally a SIGKILL or `POST /hang` to the processes, in a cluster a pod deletion or the same POST — and
 * record the instant they did, which is what time-to-detect is measured from.
 */
import type { ArmName, ExperimentSpec, FaultKind } from '../api/v1alpha1/schema.ts';
import { fleetPlan, processProducerIds } from '../schedule/fleet.ts';
import type { Timeline } from '../schedule/timeline.ts';

/** A fault on the wall clock, with the producer processes it takes. */
export interface PlannedFault {
  /** Its index in spec.faults. */
  index: number;
  kind: FaultKind;
  arm: ArmName;
  atMs: number;
  /** A hang's planned end; null: for the rest of the run (and every kill). */
  untilMs: number | null;
  /** Process indexes within the arm. */
  processes: number[];
  /** The virtual producers of those processes. */
  producers: string[];
}

/** Every fault of the spec on the timeline, in time order. */
export function planFaults(spec: ExperimentSpec, timeline: Timeline): PlannedFault[] {
  const plan = fleetPlan(spec);
  // Faults of one arm take different processes (the last ones not yet taken), so a kill and a hang
  // never land on the same process.
  const taken = new Map<ArmName, Set<number>>();
  return (spec.faults ?? [])
    .map((f, index) => {
      const phase = timeline.phases.find((p) => p.name === f.phase);
      if (!phase)
        throw new RangeError(`spec.faults[${index}].phase: ${JSON.stringify(f.phase)} is not a phase`);
      const atMs = phase.startMs + f.offsetSeconds * 1000;
      const wanted = f.producers ?? Math.ceil((f.share ?? 0) * plan.producers);
      const count = Math.max(1, Math.ceil(wanted / plan.producersPerProcess));
      const armTaken = taken.get(f.arm) ?? new Set<number>();
      taken.set(f.arm, armTaken);
      const processes: number[] = [];
      for (let p = plan.processes - 1; p >= 0 && processes.length < count; p--) {
        if (!armTaken.has(p)) processes.unshift(p);
      }
      if (processes.length < count) {
        throw new RangeError(
          `spec.faults[${index}]: needs ${count} ${f.arm} producer process(es), but only ${processes.length} of the arm's ${plan.processes} are not taken by earlier faults; lower producers/share or add producers`,
        );
      }
      for (const p of processes) armTaken.add(p);
      return {
        index,
        kind: f.kind,
        arm: f.arm,
        atMs,
        untilMs:
          f.kind === 'hang' && f.durationSeconds !== undefined ? atMs + f.durationSeconds * 1000 : null,
        processes,
        producers: processes.flatMap((p) => processProducerIds(plan, p)),
      };
    })
    .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

/** The faults due at `nowMs` that have not been applied yet. */
export function dueFaults(planned: readonly PlannedFault[], applied: ReadonlySet<number>, nowMs: number) {
  return planned.filter((f) => f.atMs <= nowMs && !applied.has(f.index));
}

/** When the next unapplied fault is due, if any. */
export function nextFaultAtMs(planned: readonly PlannedFault[], applied: ReadonlySet<number>): number | null {
  const next = planned.find((f) => !applied.has(f.index));
  return next ? next.atMs : null;
}

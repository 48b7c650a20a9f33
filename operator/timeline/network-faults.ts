/**
 * The network faults of `spec.networkFaults` on the wall clock, as pure functions: when each starts (its
 * phase's start plus its offset) and heals (plus its duration), which are due at an instant and when the
 * next one is. The reconciler applies the due ones as Chaos Mesh NetworkChaos (operator/network-faults.ts);
 * requeueAfterMs wakes it at the next one.
 */
import type { ExperimentSpec, NetworkFault } from '../../api/v1alpha1/schema.ts';
import type { Timeline } from '../../schedule/timeline.ts';

/** A network fault on the wall clock. */
export interface PlannedNetworkFault {
  /** Its index in spec.networkFaults. */
  index: number;
  fault: NetworkFault;
  atMs: number;
  untilMs: number;
}

/** Every network fault of the spec on the timeline, in time order. */
export function planNetworkFaults(spec: ExperimentSpec, timeline: Timeline): PlannedNetworkFault[] {
  return (spec.networkFaults ?? [])
    .map((fault, index) => {
      const phase = timeline.phases.find((p) => p.name === fault.phase);
      if (!phase)
        throw new RangeError(
          `spec.networkFaults[${index}].phase: ${JSON.stringify(fault.phase)} is not a phase`,
        );
      const atMs = phase.startMs + fault.offsetSeconds * 1000;
      return { index, fault, atMs, untilMs: atMs + fault.durationSeconds * 1000 };
    })
    .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

/** The network faults due at `nowMs` that have not been handled (applied or recorded as not applied). */
export function dueNetworkFaults(
  planned: readonly PlannedNetworkFault[],
  handled: ReadonlySet<number>,
  nowMs: number,
): PlannedNetworkFault[] {
  return planned.filter((f) => f.atMs <= nowMs && !handled.has(f.index));
}

/** When the next unhandled network fault is due, if any. */
export function nextNetworkFaultAtMs(
  planned: readonly PlannedNetworkFault[],
  handled: ReadonlySet<number>,
): number | null {
  return planned.find((f) => !handled.has(f.index))?.atMs ?? null;
}

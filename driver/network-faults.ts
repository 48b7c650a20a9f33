/**
 * The game day's network faults (`spec.networkFaults`) on the wall clock, as pure functions: when each
 * starts (its phase's start plus its offset) and heals (plus its duration), and which edges are due now.
 * The local runtime puts them on an arm's path with nftables / tc (netfault/), the cluster runtime with
 * Chaos Mesh; both record the instants they did, which is what the report's "who knew" reads.
 */
import type { ExperimentSpec, NetworkFault } from '../api/v1alpha1/schema.ts';
import type { Timeline } from '../schedule/timeline.ts';

/** A network fault on the wall clock. */
export interface PlannedNetworkFault {
  /** Its index in spec.networkFaults. */
  index: number;
  fault: NetworkFault;
  atMs: number;
  healMs: number;
}

/** One edge of a fault: it starts, or the path heals. */
export interface NetworkFaultEdge {
  index: number;
  edge: 'start' | 'heal';
  atMs: number;
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
      const atMs = phase.startMs + (fault.offsetSeconds ?? 0) * 1000;
      return { index, fault, atMs, healMs: atMs + fault.durationSeconds * 1000 };
    })
    .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

const key = (e: Pick<NetworkFaultEdge, 'index' | 'edge'>) => `${e.index}:${e.edge}`;

/** Every edge of the plan, in time order (a heal after its start). */
export function networkFaultEdges(planned: readonly PlannedNetworkFault[]): NetworkFaultEdge[] {
  return planned
    .flatMap((p): NetworkFaultEdge[] => [
      { index: p.index, edge: 'start', atMs: p.atMs },
      { index: p.index, edge: 'heal', atMs: p.healMs },
    ])
    .sort((a, b) => a.atMs - b.atMs || (a.edge === b.edge ? a.index - b.index : a.edge === 'heal' ? -1 : 1));
}

/**
 * The edges due at `nowMs` not yet done. A heal is due only once its start is done; `force` (the
 * cut-off) makes every remaining heal of a started fault due, so no fault outlives the load.
 */
export function dueNetworkEdges(
  planned: readonly PlannedNetworkFault[],
  done: ReadonlySet<string>,
  nowMs: number,
  force = false,
): NetworkFaultEdge[] {
  return networkFaultEdges(planned).filter((e) => {
    if (done.has(key(e))) return false;
    if (e.edge === 'heal')
      return done.has(key({ index: e.index, edge: 'start' })) && (force || e.atMs <= nowMs);
    return !force && e.atMs <= nowMs;
  });
}

/** Marks an edge done. */
export const edgeKey = key;

/** When the next edge not yet done is due, if any. */
export function nextNetworkEdgeAtMs(
  planned: readonly PlannedNetworkFault[],
  done: ReadonlySet<string>,
): number | null {
  return networkFaultEdges(planned).find((e) => !done.has(key(e)))?.atMs ?? null;
}

/** The network faults due at `nowMs` that have not been handled (applied or recorded as not applied), by
 * fault rather than by edge: the cluster runtime hands each fault to Chaos Mesh whole, with its duration.. */
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

/**
 * Fleet arithmetic: how many virtual producers an arm gets after `scale`, how many producer processes
 * (pods) host them, which producers process i hosts, and their stable ids. The local runner, the operator's
 * renderer and the producer itself all derive the same split from here, so a target's id means the same
 * thing in the Prometheus config, the ledger and the report.
 */
import { processesPerArm, scaledProducers } from '../api/v1alpha1/derived.ts';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';

/** How one arm's fleet is laid out. */
export interface FleetPlan {
  /** Virtual producers of the arm after scale. */
  producers: number;
  producersPerProcess: number;
  /** Producer processes (pods) of the arm. */
  processes: number;
}

/** The producers of one process: indexes `first` (inclusive) to `end` (exclusive). */
export interface ProducerRange {
  first: number;
  end: number;
}

/** The fleet plan of one arm (every arm of a spec gets the same plan). */
export function fleetPlan(spec: Pick<ExperimentSpec, 'fleet' | 'scale'>): FleetPlan {
  return {
    producers: scaledProducers(spec),
    producersPerProcess: spec.fleet.producersPerProcess,
    processes: processesPerArm(spec),
  };
}

/** The producers hosted by process `processIndex`; a RangeError names the allowed indexes. */
export function processRange(plan: FleetPlan, processIndex: number): ProducerRange {
  if (!Number.isInteger(processIndex) || processIndex < 0 || processIndex >= plan.processes) {
    throw new RangeError(
      `process index: ${processIndex} is not allowed; this fleet has ${plan.processes} process(es), indexes 0..${plan.processes - 1}`,
    );
  }
  const first = processIndex * plan.producersPerProcess;
  return { first, end: Math.min(plan.producers, first + plan.producersPerProcess) };
}

/** The stable id of producer `index`: `p` and at least four digits, e.g. `p0007`. */
export function producerId(index: number): string {
  return `p${String(index).padStart(4, '0')}`;
}

/** Ids of the producers process `processIndex` hosts, in index order. */
export function processProducerIds(plan: FleetPlan, processIndex: number): string[] {
  const { first, end } = processRange(plan, processIndex);
  const ids: string[] = [];
  for (let i = first; i < end; i++) ids.push(producerId(i));
  return ids;
}

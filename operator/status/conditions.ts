/**
 * The experiment's condition types, what each status means, and the `metav1.Condition` bookkeeping:
 * `lastTransitionTime` changes only when a condition's status changes, so recomputing an unchanged
 * status yields an identical object (and the reconciler writes nothing). Pure.
 */
import type { Condition } from '../../api/v1alpha1/status.ts';

export type { Condition };
export type ConditionStatus = Condition['status'];

/**
 * The spec passed validation (api/v1alpha1/validate.ts, the same rules as `pushpull validate`).
 * True: valid. False: invalid, reason InvalidSpec, the message lists every error (terminal; fix the spec,
 * which bumps the generation and re-runs). Unknown: not yet checked.
 */
export const SPEC_VALID = 'SpecValid';
/**
 * Every workload object was applied (server-side apply).
 * True: applied. False: an apply failed, reason ApplyFailed (retried with backoff). Unknown: not yet applied.
 */
export const PROVISIONED = 'Provisioned';
/**
 * Every pod of the workload (producers and collectors) is Ready.
 * True: all ready. False: reason PodsNotReady, the message counts them. Unknown: not yet observed, or no
 * longer observed because the experiment finished.
 */
export const WORKLOAD_READY = 'WorkloadReady';
/**
 * The load has begun: startAt is fixed and has passed.
 * True: reason Started. False: reason WaitingForStart (startAt fixed, in the future) or WaitingForWorkload
 * (no startAt yet). Unknown: not evaluated.
 */
export const LOAD_STARTED = 'LoadStarted';
/**
 * The last phase of the rate schedule has ended.
 * True: reason PhasesComplete. False: reason InPhase, the message names the phase. Unknown: not started.
 */
export const LOAD_FINISHED = 'LoadFinished';
/**
 * The drain window after the load is over: the cut-off has passed and results can be collected.
 * True: reason CutoffPassed. False: reason Draining. Unknown: load not finished.
 */
export const DRAINED = 'Drained';
/**
 * The full report is in the ConfigMap `<name>-report` and the summary in status.
 * True: reason ReportWritten. False: reason CollectFailed (being retried). Unknown: not collected yet.
 */
export const REPORTED = 'Reported';
/**
 * The experiment failed for good (terminal: no retry).
 * True: the reason says why (InvalidSpec, ReadyTimeout, CollectFailed, ...). False: not failed.
 */
export const FAILED = 'Failed';
/**
 * TTL cleanup deleted the workload (ttlSecondsAfterFinished); the report ConfigMap is kept.
 * True: deleted. False: waiting for the TTL. Unknown: no TTL set or not finished.
 */
export const WORKLOAD_DELETED = 'WorkloadDeleted';

/**
 * The report's expectations (spec.expect) all passed.
 * True: reason AllPassed. False: reason ExpectationsFailed (one failed) or FiguresMissing (none failed,
 * but a figure could not be measured, which is not a pass); the message lists them with the measured
 * values. Unknown: reason NoExpectations (the spec sets none). Absent until the report is written.
 */
export const PASSED = 'Passed';

/**
 * The spec's network faults (spec.networkFaults) and Chaos Mesh, which runs them in a cluster. Absent when
 * the spec has none. True: reason ChaosMesh, the API server serves NetworkChaos and every fault due so far
 * was applied. False: reason ChaosMeshMissing (NetworkChaos is not served; the message names the faults
 * not applied; the run goes on without them) or NotApplied (some could not be applied; the message says
 * why). Unknown: not checked yet. Never fails the experiment.
 */
export const NETWORK_FAULTS = 'NetworkFaults';

/** Every condition type, in the order status lists them. */
export const CONDITION_TYPES = [
  SPEC_VALID,
  PROVISIONED,
  WORKLOAD_READY,
  LOAD_STARTED,
  LOAD_FINISHED,
  DRAINED,
  REPORTED,
  FAILED,
  PASSED,
  NETWORK_FAULTS,
  WORKLOAD_DELETED,
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** A condition as computed, before bookkeeping adds lastTransitionTime and observedGeneration. */
export interface ConditionInput<T extends string = ConditionType> {
  type: T;
  status: ConditionStatus;
  reason: string;
  message: string;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * The condition to store: `next` with the previous lastTransitionTime when the status did not change,
 * else `nowIso`.
 */
export function settle<T extends string>(
  prev: Condition | undefined,
  next: ConditionInput<T>,
  generation: number,
  nowIso: string,
): Condition {
  return {
    type: next.type,
    status: next.status,
    observedGeneration: generation,
    lastTransitionTime: prev && prev.status === next.status ? prev.lastTransitionTime : nowIso,
    reason: next.reason,
    message: next.message,
  };
}

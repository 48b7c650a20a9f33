/**
 * The experiment's course over time, as pure functions of the status, the spec and the clock: which
 * stage a reconcile is in, when startAt is fixed, and how long to wait before the next reconcile
 * (`requeueAfter`). Every phase transition is therefore unit-testable without sleeping.
 *
 *   Pending → Provisioning → WaitingReady → Running (startAt fixed, phases advance) → Draining →
 *   Collecting → Succeeded | Failed → (ttlSecondsAfterFinished) workload deleted, report kept
 */

import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { nextFaultAtMs, planFaults } from '../../driver/faults.ts';
import { nextNetworkFaultAtMs, planNetworkFaults } from '../../driver/network-faults.ts';
import { decide, INITIAL_FACTS } from '../../driver/stage-machine.ts';
import { buildTimeline, resolveStartAt } from '../../schedule/timeline.ts';
import type { ScheduleFacts } from '../status/compute.ts';
import {
  type Condition,
  FAILED,
  findCondition,
  PROVISIONED,
  REPORTED,
  WORKLOAD_DELETED,
  WORKLOAD_READY,
} from '../status/conditions.ts';
import type { OperatorStatus } from '../status/types.ts';

export interface TimelineOptions {
  /** Fail an experiment whose pods are not all ready this long after provisioning. */
  readyTimeoutMs: number;
  /** Poll interval while waiting for pods (pod watch events usually come first). */
  readyPollMs: number;
  /** Give up collecting this long after the cut-off. */
  collectTimeoutMs: number;
  /** Retry interval for a start that could not be delivered to every producer. */
  startRetryMs: number;
}

export const DEFAULT_TIMELINE_OPTIONS: TimelineOptions = {
  readyTimeoutMs: 10 * 60_000,
  readyPollMs: 5_000,
  collectTimeoutMs: 5 * 60_000,
  startRetryMs: 2_000,
};

/** Wake a little after a boundary, so the pass at the boundary sees it passed. */
const AFTER_BOUNDARY_MS = 50;

/**
 * What a reconcile pass does:
 *  - active: apply the workload, observe the pods, fix and deliver startAt, follow the phases;
 *  - collect: the cut-off has passed: collect and write the report;
 *  - await-ttl / cleanup: finished, the workload is kept until / deleted at the TTL;
 *  - done: nothing left to do.
 */
export type Stage = 'active' | 'collect' | 'await-ttl' | 'cleanup' | 'done';

const timeOf = (c: Condition | undefined) => (c ? Date.parse(c.lastTransitionTime) : Number.NaN);

/** When the experiment finished (Reported or Failed turned True), if it has. */
export function finishedAtMs(conditions: readonly Condition[] | undefined): number | undefined {
  for (const type of [FAILED, REPORTED]) {
    const c = findCondition(conditions, type);
    if (c?.status === 'True') return timeOf(c);
  }
  return undefined;
}

/** The schedule on the wall clock from a fixed startAt. */
export function scheduleFor(spec: ExperimentSpec, startAtMs: number): ScheduleFacts {
  const t = buildTimeline(startAtMs, spec);
  return {
    startAtMs: t.startAtMs,
    loadEndMs: t.loadEndMs,
    drainEndMs: t.drainEndMs,
    phases: t.phases.map((p) => ({ name: p.name, startMs: p.startMs, endMs: p.endMs })),
  };
}

/** The startAt to fix when every pod is ready at `nowMs`: the spec's, or warm-up after now. */
export function startAtFor(spec: ExperimentSpec, nowMs: number): number {
  return resolveStartAt(spec, nowMs);
}

/**
 * The driver's stage (driver/stage-machine.ts) once startAt is fixed: in a cluster the pods were ready and
 * the start was delivered before startAt was written, and the cut-off is the end of the drain.
 */
function driverStage(spec: ExperimentSpec, startAt: string, nowMs: number) {
  const timeline = buildTimeline(Date.parse(startAt), spec);
  return decide(
    { ...INITIAL_FACTS, collectorsUp: true, fleetUp: true, targetsUp: true, timeline, armed: true },
    nowMs,
  );
}

export function stageOf(status: OperatorStatus | undefined, spec: ExperimentSpec, nowMs: number): Stage {
  const finished = finishedAtMs(status?.conditions);
  if (finished !== undefined) {
    const ttl = spec.ttlSecondsAfterFinished;
    if (ttl === undefined || findCondition(status?.conditions, WORKLOAD_DELETED)?.status === 'True')
      return 'done';
    return nowMs >= finished + ttl * 1000 ? 'cleanup' : 'await-ttl';
  }
  if (status?.startAt && driverStage(spec, status.startAt, nowMs).stage === 'cut-off') return 'collect';
  return 'active';
}

/** True when the pods have had readyTimeoutMs since provisioning and the load has not been started. */
export function readyTimedOut(
  status: OperatorStatus | undefined,
  nowMs: number,
  opts: TimelineOptions,
): boolean {
  if (status?.startAt) return false;
  const provisioned = findCondition(status?.conditions, PROVISIONED);
  if (provisioned?.status !== 'True') return false;
  if (findCondition(status?.conditions, WORKLOAD_READY)?.status === 'True') return false;
  return nowMs - timeOf(provisioned) >= opts.readyTimeoutMs;
}

/** True when collection has been failing for longer than collectTimeoutMs after the cut-off. */
export function collectTimedOut(
  status: OperatorStatus | undefined,
  spec: ExperimentSpec,
  nowMs: number,
  opts: TimelineOptions,
): boolean {
  if (!status?.startAt) return false;
  return nowMs - scheduleFor(spec, Date.parse(status.startAt)).drainEndMs >= opts.collectTimeoutMs;
}

/**
 * How long until the next reconcile should run, given the status just computed; undefined when only an
 * event (a spec change, a deletion) can change anything.
 */
export function requeueAfterMs(
  status: OperatorStatus,
  spec: ExperimentSpec,
  nowMs: number,
  opts: TimelineOptions,
): number | undefined {
  const stage = stageOf(status, spec, nowMs);
  if (stage === 'done') return undefined;
  if (stage === 'await-ttl') {
    const finished = finishedAtMs(status.conditions)!;
    return Math.max(0, finished + (spec.ttlSecondsAfterFinished ?? 0) * 1000 - nowMs) + AFTER_BOUNDARY_MS;
  }
  if (stage === 'cleanup' || stage === 'collect') return 0;
  if (!status.startAt) {
    const provisioned = findCondition(status.conditions, PROVISIONED);
    if (provisioned?.status === 'True') {
      const deadline = timeOf(provisioned) + opts.readyTimeoutMs - nowMs;
      return Math.max(0, Math.min(opts.readyPollMs, deadline + AFTER_BOUNDARY_MS));
    }
    return opts.readyPollMs;
  }
  const decision = driverStage(spec, status.startAt, nowMs);
  const applied = new Set((status.faultsApplied ?? []).map((f) => f.index));
  const timeline = buildTimeline(Date.parse(status.startAt), spec);
  const fault = nextFaultAtMs(planFaults(spec, timeline), applied);
  const handled = new Set((status.networkFaults ?? []).map((f) => f.index));
  const network = nextNetworkFaultAtMs(planNetworkFaults(spec, timeline), handled);
  const wakeAt = Math.min(
    decision.wakeAtMs ?? nowMs,
    fault ?? Number.POSITIVE_INFINITY,
    network ?? Number.POSITIVE_INFINITY,
  );
  let wait = Math.max(0, wakeAt - nowMs) + AFTER_BOUNDARY_MS;
  if (status.startUndelivered?.length && nowMs < Date.parse(status.startAt)) {
    wait = Math.min(wait, opts.startRetryMs);
  }
  return wait;
}

/**
 * What the schedule controller knows about each of its runs, read from the experiments it owns and the
 * reports it keeps: when each was scheduled, whether it finished and how it came out. Pure; the plan
 * (plan.ts) works on these views, the thin I/O (reconcile-schedule.ts) builds them from API objects.
 */
import type { ScheduleRun } from '../../api/v1alpha1/schedule-status.ts';
import type { VerdictAnswer } from '../../report/types.ts';
import type { KubeObject } from '../render/types.ts';
import { findCondition, PASSED } from '../status/conditions.ts';
import type { OperatorStatus } from '../status/types.ts';
import { SCHEDULED_AT_ANNOTATION } from './names.ts';

/** How a run came out; Running until the experiment is Succeeded or Failed. */
export type RunResult = 'Running' | 'Passed' | 'NotPassed' | 'NoExpectations' | 'Failed';

/** One experiment the schedule created. */
export interface RunView {
  name: string;
  scheduledAtMs: number;
  phase: string;
  result: RunResult;
  verdict?: VerdictAnswer;
  reportConfigMap?: string;
  /** The experiment sets ttlSecondsAfterFinished (cleanup is then in hand). */
  ttlSet: boolean;
  /** Already being deleted. */
  deleting: boolean;
}

/** A report the schedule kept after its experiment was deleted. */
export interface KeptReport {
  configMap: string;
  experiment: string;
  scheduledAtMs: number;
}

export const isFinished = (r: { result: RunResult }) => r.result !== 'Running';

function resultOf(status: OperatorStatus | undefined): RunResult {
  if (status?.phase === 'Failed') return 'Failed';
  if (status?.phase !== 'Succeeded') return 'Running';
  const passed = findCondition(status.conditions, PASSED)?.status;
  return passed === 'True' ? 'Passed' : passed === 'False' ? 'NotPassed' : 'NoExpectations';
}

/** The view of an experiment, or undefined when it carries no tick (not made by a schedule). */
export function runOf(x: KubeObject): RunView | undefined {
  const at = Date.parse(x.metadata.annotations?.[SCHEDULED_AT_ANNOTATION] ?? '');
  if (!Number.isFinite(at)) return undefined;
  const status = x.status as OperatorStatus | undefined;
  const spec = x.spec as { ttlSecondsAfterFinished?: number } | undefined;
  return {
    name: x.metadata.name,
    scheduledAtMs: at,
    phase: status?.phase ?? 'Pending',
    result: resultOf(status),
    ...(status?.summary?.answer ? { verdict: status.summary.answer } : {}),
    ...(status?.reportConfigMap ? { reportConfigMap: status.reportConfigMap } : {}),
    ttlSet: spec?.ttlSecondsAfterFinished !== undefined,
    deleting: x.metadata.deletionTimestamp !== undefined,
  };
}

/** The kept-report view of a ConfigMap labelled with the schedule, or undefined without a tick. */
export function keptReportOf(cm: KubeObject, experiment: string): KeptReport | undefined {
  const at = Date.parse(cm.metadata.annotations?.[SCHEDULED_AT_ANNOTATION] ?? '');
  if (!Number.isFinite(at)) return undefined;
  return { configMap: cm.metadata.name, experiment, scheduledAtMs: at };
}

/** A run as `status.history` lists it. */
export function historyEntry(r: RunView, regressed: boolean | undefined): ScheduleRun {
  return {
    name: r.name,
    scheduledAt: new Date(r.scheduledAtMs).toISOString(),
    phase: r.phase,
    result: r.result,
    ...(r.verdict ? { verdict: r.verdict } : {}),
    ...(r.reportConfigMap ? { reportConfigMap: r.reportConfigMap } : {}),
    ...(regressed !== undefined ? { regressed } : {}),
  };
}

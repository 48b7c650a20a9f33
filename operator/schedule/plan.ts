/**
 * "What to do now" for one PushPullSchedule: from the schedule, the runs it owns, the reports it kept,
 * the latest comparison and the clock, the run to create (one per cron tick, named after the tick),
 * the runs to delete (Replace, or past historyLimit: their reports are kept first), the workloads to
 * clean up, the Events and the whole status. Pure and written once per pass, like the experiment's
 * status; operator/schedule/reconcile-schedule.ts does the I/O around it.
 */
import type { ScheduleDocument } from '../../api/v1alpha1/schedule-schema.ts';
import type { ScheduleRun, ScheduleStatus } from '../../api/v1alpha1/schedule-status.ts';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { validateScheduleDocument } from '../../api/v1alpha1/validate-schedule.ts';
import { withComparisons } from '../../report/run-comparison.ts';
import type { Report } from '../../report/types.ts';
import { parseCron } from '../../schedule/cron.ts';
import { nextTick, ticksBetween } from '../../schedule/cron-zone.ts';
import type { KubeObject } from '../render/types.ts';
import { type Condition, type ConditionInput, findCondition, settle } from '../status/conditions.ts';
import {
  ACTIVE,
  REGRESSED,
  SCHEDULE_CONDITION_TYPES,
  SCHEDULE_VALID,
  type ScheduleConditionType,
} from './conditions.ts';
import { runName, SCHEDULE_LABEL, SCHEDULED_AT_ANNOTATION, scheduleOwnerReference } from './names.ts';
import {
  type ComparisonFacts,
  comparePair,
  describeComparison,
  type LoadedPair,
  reportComparisons,
} from './regression.ts';
import { historyEntry, isFinished, type KeptReport, type RunResult, type RunView } from './runs.ts';

/** The schedule's status with the controller's own bookkeeping (kept by preserve-unknown-fields). */
export interface ScheduleStatusFull extends ScheduleStatus {
  /** The pair last compared and what came of it. */
  comparison?: ComparisonFacts;
  /** A tick skipped under Forbid (its Event is sent once). */
  skippedTick?: string;
}

/** A PushPullSchedule as read from the API server. */
export interface ScheduleObject {
  metadata: { name: string; namespace: string; uid: string; generation?: number; creationTimestamp?: string };
  spec: unknown;
  status?: ScheduleStatusFull;
}

export interface PlanInput {
  schedule: ScheduleObject;
  /** The experiments the schedule owns. */
  runs: readonly RunView[];
  /** Reports it kept after deleting their experiments. */
  keptReports: readonly KeptReport[];
  /** The reports of the newest pair (regression.ts comparisonPair), when the I/O loaded a new pair. */
  pair?: LoadedPair;
  nowMs: number;
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface SchedulePlan {
  create?: KubeObject;
  /** Experiments to delete. */
  delete: string[];
  /** Reports to re-own by the schedule before their experiments are deleted. */
  keepReports: Array<{ configMap: string; experiment: string; scheduledAt: string }>;
  /** Kept reports past reportHistoryLimit. */
  deleteReports: string[];
  /** Finished experiments whose workload to delete now (the report stays). */
  cleanup: string[];
  /**
   * The newest run's report with the comparison just made, to write into its ConfigMap before the
   * status records the comparison as made (so a restart in between makes it again, losing nothing).
   */
  report?: { configMap: string; report: Report };
  events: PlannedEvent[];
  status: ScheduleStatusFull;
  requeueAfterMs?: number;
}

/** Longest wait between passes: timers beyond a day are unsafe in Node, and a resync costs little. */
const MAX_REQUEUE_MS = 3_600_000;
/** Wake a little after a tick so the tick is in the past. */
const AFTER_TICK_MS = 1000;

const iso = (ms: number) => new Date(ms).toISOString();

function conditionsOf(
  prev: readonly Condition[] | undefined,
  inputs: ConditionInput<ScheduleConditionType>[],
  generation: number,
  nowIso: string,
): Condition[] {
  const byType = new Map<string, Condition>();
  for (const c of prev ?? []) byType.set(c.type, c);
  for (const input of inputs)
    byType.set(input.type, settle(byType.get(input.type), input, generation, nowIso));
  return SCHEDULE_CONDITION_TYPES.map((t) => byType.get(t)).filter((c): c is Condition => c !== undefined);
}

/** The experiment a tick creates: the template, owned by the schedule, named and annotated by the tick. */
export function runObject(doc: ScheduleDocument, schedule: ScheduleObject, tickMs: number): KubeObject {
  const meta = doc.spec.template.metadata;
  const raw = (schedule.spec as { template: { spec: unknown } }).template.spec;
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    metadata: {
      name: runName(schedule.metadata.name, tickMs),
      namespace: schedule.metadata.namespace,
      labels: { ...(meta?.labels ?? {}), [SCHEDULE_LABEL]: schedule.metadata.name },
      annotations: { ...(meta?.annotations ?? {}), [SCHEDULED_AT_ANNOTATION]: iso(tickMs) },
      ownerReferences: [scheduleOwnerReference(schedule.metadata)],
    },
    // As written: the apiserver defaults it, the same way it defaults an experiment applied by hand.
    spec: structuredClone(raw),
  };
}

const RESULT_EVENTS: Record<Exclude<RunResult, 'Running'>, Omit<PlannedEvent, 'message'>> = {
  Passed: { type: 'Normal', reason: 'RunPassed' },
  NoExpectations: { type: 'Normal', reason: 'RunFinished' },
  NotPassed: { type: 'Warning', reason: 'RunNotPassed' },
  Failed: { type: 'Warning', reason: 'RunFailed' },
};

/** Decides this pass. */
export function planSchedule(input: PlanInput): SchedulePlan {
  const { schedule, nowMs } = input;
  const prev = schedule.status;
  const generation = schedule.metadata.generation ?? 0;
  const plan: SchedulePlan = {
    delete: [],
    keepReports: [],
    deleteReports: [],
    cleanup: [],
    events: [],
    status: {},
  };

  const validated = validateScheduleDocument({
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: 'PushPullSchedule',
    metadata: { name: schedule.metadata.name },
    spec: schedule.spec,
  });
  if (!validated.ok) {
    const message = validated.errors.map(formatSpecError).join('; ');
    const before = findCondition(prev?.conditions, SCHEDULE_VALID);
    if (before?.status !== 'False' || before.message !== message) {
      plan.events.push({ type: 'Warning', reason: 'InvalidSpec', message });
    }
    plan.status = {
      ...prev,
      observedGeneration: generation,
      conditions: conditionsOf(
        prev?.conditions,
        [{ type: SCHEDULE_VALID, status: 'False', reason: 'InvalidSpec', message }],
        generation,
        iso(nowMs),
      ),
      message: `InvalidSpec: ${message}`,
    };
    return plan;
  }
  const doc = validated.document;
  const spec = doc.spec;
  const cron = parseCron(spec.schedule);

  const live = input.runs.filter((r) => !r.deleting).sort((a, b) => b.scheduledAtMs - a.scheduledAtMs);
  let active = live.filter((r) => !isFinished(r));
  const finished = live.filter(isFinished);

  // The tick due now: after the last one scheduled (or the schedule's creation), within the deadline.
  const created = Date.parse(schedule.metadata.creationTimestamp ?? '') || nowMs;
  const lastScheduled = Math.max(
    Date.parse(prev?.lastScheduleTime ?? '') || Number.NEGATIVE_INFINITY,
    live[0]?.scheduledAtMs ?? Number.NEGATIVE_INFINITY,
  );
  const from = Math.max(
    Number.isFinite(lastScheduled) ? lastScheduled : created - 1,
    nowMs - spec.startingDeadlineSeconds * 1000,
  );
  const [due] = spec.suspend ? [] : ticksBetween(cron, spec.timeZone, from, nowMs, 1);
  let scheduledMs = Number.isFinite(lastScheduled) ? lastScheduled : undefined;
  let skippedTick = prev?.skippedTick;
  if (due !== undefined && !live.some((r) => r.name === runName(schedule.metadata.name, due))) {
    if (active.length > 0 && spec.concurrencyPolicy === 'Forbid') {
      if (skippedTick !== iso(due)) {
        plan.events.push({
          type: 'Normal',
          reason: 'TickSkipped',
          message: `the tick at ${iso(due)} waits: ${active.map((r) => r.name).join(', ')} is still running (concurrencyPolicy Forbid)`,
        });
        skippedTick = iso(due);
      }
    } else {
      if (active.length > 0) {
        plan.delete.push(...active.map((r) => r.name));
        plan.events.push({
          type: 'Normal',
          reason: 'RunReplaced',
          message: `deleted ${active.map((r) => r.name).join(', ')} for the tick at ${iso(due)} (concurrencyPolicy Replace)`,
        });
        active = [];
      }
      plan.create = runObject(doc, schedule, due);
      plan.events.push({
        type: 'Normal',
        reason: 'RunCreated',
        message: `created ${plan.create.metadata.name} for the tick at ${iso(due)}`,
      });
      scheduledMs = due;
      skippedTick = undefined;
    }
  }

  // History: the newest historyLimit finished runs stay; older ones go, their reports kept first.
  for (const r of finished.slice(spec.historyLimit)) {
    plan.delete.push(r.name);
    if (r.reportConfigMap) {
      plan.keepReports.push({
        configMap: r.reportConfigMap,
        experiment: r.name,
        scheduledAt: iso(r.scheduledAtMs),
      });
    }
  }
  if (finished.length > spec.historyLimit) {
    plan.events.push({
      type: 'Normal',
      reason: 'HistoryPruned',
      message: `deleted ${finished
        .slice(spec.historyLimit)
        .map((r) => r.name)
        .join(', ')} (historyLimit ${spec.historyLimit}; reports kept)`,
    });
  }
  const kept = [
    ...input.keptReports.map((k) => ({ configMap: k.configMap, at: k.scheduledAtMs })),
    ...plan.keepReports.map((k) => ({ configMap: k.configMap, at: Date.parse(k.scheduledAt) })),
  ].sort((a, b) => b.at - a.at);
  plan.deleteReports = kept.slice(spec.reportHistoryLimit).map((k) => k.configMap);

  // Runs that finished since the last pass: one Event each, and the cleanup policy.
  const before = new Map((prev?.history ?? []).map((h) => [h.name, h]));
  for (const r of finished) {
    const was = before.get(r.name);
    if (was && was.result !== 'Running') continue;
    const e = RESULT_EVENTS[r.result as Exclude<RunResult, 'Running'>];
    plan.events.push({
      ...e,
      message: `${r.name} finished: ${r.result}${r.verdict ? `, verdict ${r.verdict}` : ''}`,
    });
  }
  for (const r of finished.slice(0, spec.historyLimit)) {
    const good = r.result === 'Passed' || r.result === 'NoExpectations';
    const action = good ? spec.cleanup.succeeded : spec.cleanup.failed;
    if (action === 'Delete' && !r.ttlSet) plan.cleanup.push(r.name);
  }

  // Regression of the newest finished run against the one before it.
  const fresh = input.pair ? comparePair(input.pair, spec.regression) : undefined;
  const comparison = fresh ?? prev?.comparison;
  if (input.pair && 'reports' in input.pair) {
    const comparisons = reportComparisons(input.pair, spec.regression, iso(nowMs));
    plan.report = {
      configMap: input.pair.configMaps.newest,
      report: withComparisons(input.pair.reports.newest, comparisons),
    };
  }
  if (fresh && 'breaches' in fresh && fresh.breaches.length > 0) {
    plan.events.push({
      type: 'Warning',
      reason: 'Regressed',
      message: `${describeComparison(fresh)}: ${fresh.breaches.join('; ')}`,
    });
  }
  const regressedCondition: ConditionInput<ScheduleConditionType> = !comparison
    ? {
        type: REGRESSED,
        status: 'Unknown',
        reason: 'NotCompared',
        message: 'fewer than two finished runs with reports',
      }
    : 'error' in comparison
      ? { type: REGRESSED, status: 'Unknown', reason: 'NotCompared', message: comparison.error }
      : comparison.breaches.length > 0
        ? {
            type: REGRESSED,
            status: 'True',
            reason: 'Regressed',
            message: `${describeComparison(comparison)}: ${comparison.breaches.join('; ')}`,
          }
        : {
            type: REGRESSED,
            status: 'False',
            reason: 'NoRegression',
            message: `${describeComparison(comparison)}: no threshold breached`,
          };

  const next = spec.suspend ? null : nextTick(cron, spec.timeZone, nowMs);
  const activeNames = [...(plan.create ? [plan.create.metadata.name] : []), ...active.map((r) => r.name)];
  const conditions = conditionsOf(
    prev?.conditions,
    [
      { type: SCHEDULE_VALID, status: 'True', reason: 'Valid', message: 'the schedule passed validation' },
      activeNames.length > 0
        ? { type: ACTIVE, status: 'True', reason: 'Running', message: activeNames.join(', ') }
        : {
            type: ACTIVE,
            status: 'False',
            reason: spec.suspend ? 'Suspended' : 'Idle',
            message: next === null ? 'no next tick' : `next tick at ${iso(next)}`,
          },
      regressedCondition,
    ],
    generation,
    iso(nowMs),
  );

  const regressedOf = (name: string): boolean | undefined => {
    if (comparison && 'breaches' in comparison && comparison.newest === name)
      return comparison.breaches.length > 0;
    return before.get(name)?.regressed;
  };
  const deleted = new Set(plan.delete);
  const history: ScheduleRun[] = live
    .filter((r) => !deleted.has(r.name))
    .map((r) => historyEntry(r, regressedOf(r.name)));
  if (plan.create) {
    history.unshift({
      name: plan.create.metadata.name,
      scheduledAt: iso(scheduledMs!),
      phase: 'Pending',
      result: 'Running',
    });
  }
  const newestFinished = finished[0];
  plan.status = {
    observedGeneration: generation,
    conditions,
    ...(scheduledMs !== undefined ? { lastScheduleTime: iso(scheduledMs) } : {}),
    ...(next !== null ? { nextScheduleTime: iso(next) } : {}),
    ...(history[0] ? { lastRun: history[0].name } : {}),
    ...(newestFinished?.verdict ? { lastVerdict: newestFinished.verdict } : {}),
    ...(newestFinished ? { lastResult: newestFinished.result } : {}),
    active: activeNames,
    history,
    ...(comparison ? { comparison } : {}),
    ...(skippedTick ? { skippedTick } : {}),
    message:
      activeNames.length > 0
        ? `running ${activeNames.join(', ')}`
        : next === null
          ? 'idle'
          : `next tick at ${iso(next)}`,
  };
  if (next !== null)
    plan.requeueAfterMs = Math.min(MAX_REQUEUE_MS, Math.max(0, next - nowMs) + AFTER_TICK_MS);
  return plan;
}

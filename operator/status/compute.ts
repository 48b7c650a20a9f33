/**
 * Computes the whole status from what one reconcile pass found (the facts), the previous status and the
 * clock. Pure and written once per pass: the reconciler compares the result with the stored status and
 * patches only when they differ. Conditions the pass did not observe (e.g. pods after the experiment
 * finished) keep their previous value.
 */

import type { NetworkFault } from '../../api/v1alpha1/schema.ts';
import {
  CONDITION_TYPES,
  type Condition,
  type ConditionInput,
  DRAINED,
  FAILED,
  findCondition,
  LOAD_FINISHED,
  LOAD_STARTED,
  PASSED,
  PROVISIONED,
  REPORTED,
  SPEC_VALID,
  settle,
  WORKLOAD_DELETED,
  WORKLOAD_READY,
} from './conditions.ts';
import { type NetworkFaultFacts, networkFaultsCondition } from './network-faults.ts';
import { derivePhase } from './phase.ts';
import type { AppliedFaultStatus, OperatorStatus, ReportSummary } from './types.ts';

/** The experiment's schedule on the wall clock, once startAt is fixed. */
export interface ScheduleFacts {
  startAtMs: number;
  loadEndMs: number;
  drainEndMs: number;
  phases: Array<{ name: string; startMs: number; endMs: number }>;
}

/** What one reconcile pass found or did. Absent fields were not observed this pass. */
export interface StatusFacts {
  generation: number;
  /** Present when the spec is invalid: every error, formatted. */
  specErrors?: string[];
  provision?: { ok: true; objects: number } | { ok: false; message: string };
  pods?: { ready: number; total: number; notReady: string[] };
  schedule?: ScheduleFacts;
  startDelivered?: string[];
  startUndelivered?: string[];
  /** Every fault applied so far (the previous ones and this pass's). */
  faultsApplied?: AppliedFaultStatus[];
  /** spec.networkFaults and Chaos Mesh (with the spec's faults, to name them). */
  networkFaults?: NetworkFaultFacts & { faults: NetworkFault[] };
  report?: { configMap: string; summary: ReportSummary; arms: string };
  collectError?: string;
  /** A terminal failure found this pass. */
  failure?: { reason: string; message: string };
  /** TTL cleanup: 'pending' until it runs, 'done' after. */
  cleanup?: 'pending' | 'done';
}

const iso = (ms: number) => new Date(ms).toISOString();

function scheduleConditions(
  s: ScheduleFacts | undefined,
  nowMs: number,
  specValid: boolean,
): ConditionInput[] {
  if (!s) {
    return specValid
      ? [
          {
            type: LOAD_STARTED,
            status: 'False',
            reason: 'WaitingForWorkload',
            message: 'startAt is fixed once every pod is ready',
          },
        ]
      : [];
  }
  const out: ConditionInput[] = [];
  const started = nowMs >= s.startAtMs;
  out.push(
    started
      ? {
          type: LOAD_STARTED,
          status: 'True',
          reason: 'Started',
          message: `load started at ${iso(s.startAtMs)}`,
        }
      : {
          type: LOAD_STARTED,
          status: 'False',
          reason: 'WaitingForStart',
          message: `load starts at ${iso(s.startAtMs)}`,
        },
  );
  const finished = nowMs >= s.loadEndMs;
  if (finished) {
    out.push({
      type: LOAD_FINISHED,
      status: 'True',
      reason: 'PhasesComplete',
      message: `last phase ended at ${iso(s.loadEndMs)}`,
    });
  } else if (started) {
    const phase = s.phases.find((p) => nowMs < p.endMs);
    const n = phase ? s.phases.indexOf(phase) + 1 : s.phases.length;
    out.push({
      type: LOAD_FINISHED,
      status: 'False',
      reason: 'InPhase',
      message: `phase ${phase?.name ?? '?'} (${n}/${s.phases.length})`,
    });
  }
  if (nowMs >= s.drainEndMs) {
    out.push({
      type: DRAINED,
      status: 'True',
      reason: 'CutoffPassed',
      message: `cut-off at ${iso(s.drainEndMs)}`,
    });
  } else if (finished) {
    out.push({
      type: DRAINED,
      status: 'False',
      reason: 'Draining',
      message: `draining until ${iso(s.drainEndMs)}`,
    });
  }
  return out;
}

/** The Passed condition from the report summary's expectations. */
export function passedCondition(summary: ReportSummary): ConditionInput {
  const e = summary.expectations;
  if (!e) {
    return {
      type: PASSED,
      status: 'Unknown',
      reason: 'NoExpectations',
      message: 'the spec sets no expectations (spec.expect)',
    };
  }
  if (e.allPassed) {
    return {
      type: PASSED,
      status: 'True',
      reason: 'AllPassed',
      message: `${e.passed}/${e.total} expectations passed`,
    };
  }
  return {
    type: PASSED,
    status: 'False',
    reason: e.failed > 0 ? 'ExpectationsFailed' : 'FiguresMissing',
    message: `${e.total - e.passed}/${e.total} expectations did not pass: ${e.notPassed.join('; ')}`,
  };
}

/** The status after a pass, from the previous one, the facts and the clock. */
export function computeStatus(
  prev: OperatorStatus | undefined,
  facts: StatusFacts,
  nowMs: number,
): OperatorStatus {
  const nowIso = iso(nowMs);
  const specValid = facts.specErrors === undefined;
  const inputs: ConditionInput[] = [
    specValid
      ? { type: SPEC_VALID, status: 'True', reason: 'Valid', message: 'the spec passed validation' }
      : { type: SPEC_VALID, status: 'False', reason: 'InvalidSpec', message: facts.specErrors!.join('; ') },
  ];
  if (facts.provision) {
    inputs.push(
      facts.provision.ok
        ? {
            type: PROVISIONED,
            status: 'True',
            reason: 'Applied',
            message: `${facts.provision.objects} objects applied`,
          }
        : { type: PROVISIONED, status: 'False', reason: 'ApplyFailed', message: facts.provision.message },
    );
  }
  if (facts.pods) {
    const { ready, total, notReady } = facts.pods;
    inputs.push(
      ready === total && total > 0
        ? {
            type: WORKLOAD_READY,
            status: 'True',
            reason: 'AllReady',
            message: `${ready}/${total} pods ready`,
          }
        : {
            type: WORKLOAD_READY,
            status: 'False',
            reason: 'PodsNotReady',
            message: `${ready}/${total} pods ready${notReady.length ? `; waiting for ${notReady.slice(0, 5).join(', ')}${notReady.length > 5 ? ', ...' : ''}` : ''}`,
          },
    );
  }
  inputs.push(...scheduleConditions(facts.schedule, nowMs, specValid));
  if (facts.report) {
    inputs.push({
      type: REPORTED,
      status: 'True',
      reason: 'ReportWritten',
      message: `report in ConfigMap ${facts.report.configMap}`,
    });
    inputs.push(passedCondition(facts.report.summary));
  } else if (facts.collectError) {
    inputs.push({ type: REPORTED, status: 'False', reason: 'CollectFailed', message: facts.collectError });
  }
  if (facts.networkFaults)
    inputs.push(networkFaultsCondition(facts.networkFaults.faults, facts.networkFaults));
  const prevFailed = findCondition(prev?.conditions, FAILED);
  if (facts.failure) {
    inputs.push({
      type: FAILED,
      status: 'True',
      reason: facts.failure.reason,
      message: facts.failure.message,
    });
  } else if (
    !prevFailed ||
    (prevFailed.status === 'True' && prevFailed.reason === 'InvalidSpec' && specValid)
  ) {
    inputs.push({ type: FAILED, status: 'False', reason: 'NotFailed', message: '' });
  }
  if (facts.cleanup === 'done') {
    inputs.push({
      type: WORKLOAD_DELETED,
      status: 'True',
      reason: 'TTLExpired',
      message: 'workload deleted; the report ConfigMap is kept',
    });
  } else if (facts.cleanup === 'pending') {
    inputs.push({
      type: WORKLOAD_DELETED,
      status: 'False',
      reason: 'WaitingForTTL',
      message: 'workload kept until ttlSecondsAfterFinished',
    });
  }

  const byType = new Map<string, Condition>();
  for (const c of prev?.conditions ?? []) byType.set(c.type, c);
  for (const input of inputs)
    byType.set(input.type, settle(byType.get(input.type), input, facts.generation, nowIso));
  const conditions = CONDITION_TYPES.map((t) => byType.get(t)).filter((c): c is Condition => c !== undefined);

  const phase = derivePhase(conditions);
  const status: OperatorStatus = { phase, observedGeneration: facts.generation, conditions };
  const s = facts.schedule;
  if (s) {
    status.startAt = iso(s.startAtMs);
    status.loadEndAt = iso(s.loadEndMs);
    status.cutoffAt = iso(s.drainEndMs);
    const current = nowMs >= s.startAtMs ? s.phases.find((p) => nowMs < p.endMs) : undefined;
    if (current) status.currentPhase = current.name;
  }
  if (facts.pods) status.pods = `${facts.pods.ready}/${facts.pods.total}`;
  else if (prev?.pods) status.pods = prev.pods;
  const delivered = facts.startDelivered ?? prev?.startDelivered;
  if (delivered?.length) status.startDelivered = [...delivered].sort();
  const undelivered = facts.startUndelivered ?? prev?.startUndelivered;
  if (undelivered?.length) status.startUndelivered = [...undelivered].sort();
  const faults = facts.faultsApplied ?? prev?.faultsApplied;
  if (faults?.length) status.faultsApplied = [...faults].sort((a, b) => a.index - b.index);
  const network = facts.networkFaults?.handled ?? prev?.networkFaults;
  if (network?.length) status.networkFaults = [...network].sort((a, b) => a.index - b.index);
  const report = facts.report;
  if (report) {
    status.reportConfigMap = report.configMap;
    status.verdict = report.summary.sentence;
    status.arms = report.arms;
    status.summary = report.summary;
  } else if (prev?.reportConfigMap) {
    for (const k of ['reportConfigMap', 'verdict', 'arms', 'summary'] as const) {
      if (prev[k] !== undefined) (status as Record<string, unknown>)[k] = prev[k];
    }
  }
  if (!s && prev?.startAt) {
    // A finished experiment's pass does not recompute the schedule: keep what was recorded.
    for (const k of ['startAt', 'loadEndAt', 'cutoffAt'] as const) {
      if (prev[k] !== undefined) status[k] = prev[k];
    }
  }
  status.message = messageFor(conditions, phase);
  return status;
}

function messageFor(conditions: Condition[], phase: string): string {
  const pick = (type: string) => findCondition(conditions, type);
  const failed = pick(FAILED);
  if (failed?.status === 'True') return `${failed.reason}: ${failed.message}`;
  const order = [REPORTED, DRAINED, LOAD_FINISHED, LOAD_STARTED, WORKLOAD_READY, PROVISIONED, SPEC_VALID];
  for (const type of order) {
    const c = pick(type);
    if (c && c.status !== 'Unknown' && c.message) return `${phase}: ${c.message}`;
  }
  return phase;
}

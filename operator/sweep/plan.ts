/**
 * The sweep of one experiment in a cluster, as pure logic: given the parent (its spec.sweep), the steps
 * already read (kept in its status) and its step experiments as they stand, what to do now — wait for the
 * running step, read a finished one, start the next at the grown load, or end with the capacity report.
 * One step's workload at a time: a step is a child PushPullExperiment with the grown load and
 * ttlSecondsAfterFinished 0 (its workload goes when it finishes, its report ConfigMap stays). The same
 * stopping rules as `pushpull sweep` (sweep/plan.ts), bounded in steps and in time. reconcile-sweep.ts
 * does the I/O.
 */
import { scheduleSeconds } from '../../api/v1alpha1/derived.ts';
import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import {
  armCapacities,
  type CapacityReport,
  capacitySentence,
  planOfSpec,
  type SweepStep,
  shouldStop,
  specAtStep,
  stepMultipliers,
} from '../../sweep/plan.ts';
import { ownerReference } from '../render/names.ts';
import type { ExperimentObject, KubeObject } from '../render/types.ts';

/** Labels of a step experiment: the sweep it belongs to, and its index (1-based). */
export const SWEEP_LABEL = `${API_GROUP}/sweep`;
export const SWEEP_STEP_LABEL = `${API_GROUP}/sweep-step`;
/** Seconds a step takes in a cluster beyond its schedule (pods ready, collect), generously. */
export const CLUSTER_STEP_OVERHEAD_SECONDS = 90;
/** How often a sweep looks at its running step. */
export const SWEEP_POLL_MS = 5000;

/** A step experiment's name: `<sweep>-step-<n>` (the sweep's name must leave room: 53 − 8). */
export const stepName = (sweep: string, index: number) => `${sweep}-step-${index}`;
export const MAX_SWEEP_NAME = 53 - '-step-20'.length;

/** The sweep's part of the parent's status. */
export interface SweepStatus {
  /** The steps read so far (each one's report ConfigMap in `report`). */
  steps: SweepStep[];
  /** The step experiment running now, if any. */
  running?: { experiment: string; multiplier: number };
  /** Set when the sweep ended. */
  ended?: string;
  capacityConfigMap?: string;
  sentence?: string;
}

/** A step experiment as it stands. */
export interface StepView {
  index: number;
  name: string;
  multiplier: number;
  phase?: string;
  reportConfigMap?: string;
  message?: string;
}

export interface SweepInput {
  parent: ExperimentObject;
  status: SweepStatus | undefined;
  children: StepView[];
  /** The step read from a finished child's report, by child name (reconcile-sweep.ts loads it). */
  read: Map<string, SweepStep>;
  /** When the sweep began (the parent's creation), and now. */
  startedMs: number;
  nowMs: number;
}

export interface SweepDecision {
  status: SweepStatus;
  /** A step experiment to create. */
  create?: KubeObject;
  /** The capacity report to write (the sweep ended). */
  capacity?: CapacityReport;
  /** Printable phase and message of the parent. */
  phase: 'Running' | 'Succeeded';
  message: string;
  requeueAfterMs?: number;
}

const FINISHED = new Set(['Succeeded', 'Failed']);

/** The child experiment of step `index` at `multiplier`. */
export function stepExperiment(parent: ExperimentObject, index: number, multiplier: number): KubeObject {
  const spec: ExperimentSpec = { ...specAtStep(parent.spec, multiplier), ttlSecondsAfterFinished: 0 };
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    metadata: {
      name: stepName(parent.metadata.name, index),
      namespace: parent.metadata.namespace,
      labels: { [SWEEP_LABEL]: parent.metadata.name, [SWEEP_STEP_LABEL]: String(index) },
      annotations: { [`${API_GROUP}/sweep-multiplier`]: String(multiplier) },
      ownerReferences: [ownerReference(parent)],
    },
    spec,
  } as KubeObject;
}

/** What to do now. */
export function planSweep(input: SweepInput): SweepDecision {
  const { parent } = input;
  const { plan, maxSeconds } = planOfSpec(parent.spec.sweep!);
  const multipliers = stepMultipliers(plan);
  const steps = [...(input.status?.steps ?? [])];
  if (input.status?.ended) {
    return {
      status: input.status,
      phase: 'Succeeded',
      message: input.status.sentence ?? input.status.ended,
    };
  }
  // Read every finished step not read yet, in order.
  for (const child of [...input.children].sort((a, b) => a.index - b.index)) {
    if (child.index <= steps.length || !child.phase || !FINISHED.has(child.phase)) continue;
    if (child.index !== steps.length + 1) break;
    const read = input.read.get(child.name);
    steps.push(
      read ?? {
        multiplier: child.multiplier,
        report: child.reportConfigMap ?? null,
        outcome: 'failed',
        rigLimit: `step experiment ${child.name} ${child.phase} without a report${child.message ? `: ${child.message}` : ''}`,
        arms: [],
      },
    );
  }
  const end = (ended: string): SweepDecision => {
    const arms = armCapacities(steps);
    const capacity: CapacityReport = {
      schema: 'pushpull.dev/capacity/v1',
      experiment: parent.metadata.name,
      plan,
      steps,
      arms,
      ended,
      sentence: capacitySentence(arms, steps, ended),
    };
    return {
      status: {
        steps,
        ended,
        capacityConfigMap: capacityConfigMapName(parent.metadata.name),
        sentence: capacity.sentence,
      },
      capacity,
      phase: 'Succeeded',
      message: capacity.sentence,
    };
  };
  const running = input.children.find((c) => c.index === steps.length + 1 && !FINISHED.has(c.phase ?? ''));
  if (running) {
    return {
      status: { steps, running: { experiment: running.name, multiplier: running.multiplier } },
      phase: 'Running',
      message: `step ${running.index} of at most ${plan.maxSteps}: ${running.multiplier}× the load (experiment ${running.name}, ${running.phase ?? 'Pending'})`,
      requeueAfterMs: SWEEP_POLL_MS,
    };
  }
  if (steps.length > 0 && shouldStop(steps)) {
    const last = steps[steps.length - 1]!;
    return end(
      last.rigLimit !== null
        ? `the rig or the machine was the limit at step ${steps.length} (${last.rigLimit})`
        : `every arm had failed by step ${steps.length}`,
    );
  }
  const next = steps.length + 1;
  const multiplier = multipliers[next - 1];
  if (multiplier === undefined) return end(`the ${plan.maxSteps} step(s) of the plan ran out`);
  const needs = scheduleSeconds(specAtStep(parent.spec, multiplier)) + CLUSTER_STEP_OVERHEAD_SECONDS;
  if ((input.nowMs - input.startedMs) / 1000 + needs > maxSeconds) {
    return end(`the time budget (${maxSeconds} s) would be exceeded by step ${next}`);
  }
  return {
    status: { steps, running: { experiment: stepName(parent.metadata.name, next), multiplier } },
    create: stepExperiment(parent, next, multiplier),
    phase: 'Running',
    message: `step ${next} of at most ${plan.maxSteps}: ${multiplier}× the load (experiment ${stepName(parent.metadata.name, next)}, starting)`,
    requeueAfterMs: SWEEP_POLL_MS,
  };
}

/** The ConfigMap of a sweep's capacity report. */
export const capacityConfigMapName = (sweep: string) => `${sweep}-capacity`;

/**
 * The breaking-point sweep as pure logic: the load multiplier of each step (geometric, bounded in steps),
 * the spec a step runs (every phase's rate times the multiplier, the collectors' sizing untouched), when
 * to stop (every arm failed, or the rig or the machine became the limit), and the capacity report with its
 * one-sentence answer. `pushpull sweep` (local/sweep.ts) runs the steps; nothing here does I/O.
 */
import { enabledArms } from '../api/v1alpha1/derived.ts';
import type { ArmName, ExperimentSpec, Sweep } from '../api/v1alpha1/schema.ts';
import { ARM_LABELS } from '../report/format.ts';
import { FAILURE_KINDS, KIND_LABELS } from '../report/signal-kinds.ts';
import type { Report, SignalKind } from '../report/types.ts';

/** How the sweep grows the load. */
export interface SweepPlan {
  /** Multiplier of the first step (1: the spec as written). */
  start: number;
  /** Each step's multiplier is the previous one times this (> 1). */
  factor: number;
  /** At most this many steps. */
  maxSteps: number;
}

export const DEFAULT_PLAN: SweepPlan = { start: 1, factor: 2, maxSteps: 4 };
/** The default wall-clock budget of a sweep, seconds (spec.sweep.maxSeconds, `--max-minutes`). */
export const DEFAULT_MAX_SECONDS = 1800;

/** The plan and time budget of `spec.sweep` (validated, so every field has its default). */
export function planOfSpec(sweep: Sweep): { plan: SweepPlan; maxSeconds: number } {
  return {
    plan: { start: sweep.start, factor: sweep.factor, maxSteps: sweep.maxSteps },
    maxSeconds: sweep.maxSeconds,
  };
}

/** The multipliers of a plan, in order. */
export function stepMultipliers(plan: SweepPlan): number[] {
  if (!(plan.factor > 1))
    throw new RangeError(`--factor: ${plan.factor} is not allowed; expected a number above 1`);
  if (!Number.isInteger(plan.maxSteps) || plan.maxSteps < 1 || plan.maxSteps > 20) {
    throw new RangeError(`--steps: ${plan.maxSteps} is not allowed; expected an integer from 1 to 20`);
  }
  if (!(plan.start > 0))
    throw new RangeError(`--start: ${plan.start} is not allowed; expected a number above 0`);
  const out: number[] = [];
  for (let i = 0; i < plan.maxSteps; i++) out.push(Math.round(plan.start * plan.factor ** i * 1000) / 1000);
  return out;
}

/**
 * The spec of one step: every phase's events per second times `multiplier`; nothing else changes, except
 * that a step is one rehearsal, not a sweep of its own (no `sweep`).
 */
export function specAtStep(spec: ExperimentSpec, multiplier: number): ExperimentSpec {
  const { sweep: _sweep, ...rest } = spec;
  return {
    ...rest,
    load: {
      ...spec.load,
      phases: spec.load.phases.map((p) => ({ ...p, eventsPerSecond: p.eventsPerSecond * multiplier })),
    },
  };
}

/** What one step showed, per arm. */
export interface StepArm {
  arm: ArmName;
  failed: boolean;
  /** The first failure signal of the arm (kind, seconds after load start, detail). */
  first: { kind: SignalKind; offsetSeconds: number; detail: string } | null;
  /** The arm's closest headroom share (1 = at a limit). */
  closestShare: number | null;
}

/** One step of the sweep. */
export interface SweepStep {
  multiplier: number;
  /** The step's own report, relative to the capacity report. */
  report: string | null;
  outcome: Report['run']['outcome'] | 'refused';
  /** The rig or the machine was the limit: no arm's failure is read from this step. */
  rigLimit: string | null;
  arms: StepArm[];
}

/** What a step's report says per arm and whether the rig was the limit. */
export function readStep(multiplier: number, reportPath: string, r: Report): SweepStep {
  const arms = enabledArms(r.experiment.spec).map((arm): StepArm => {
    const first = r.signals
      .filter((s) => s.arm === arm && FAILURE_KINDS.has(s.kind))
      .sort((a, b) => a.offsetSeconds - b.offsetSeconds)[0];
    let closest: number | null = null;
    for (const h of r.headroom ?? []) {
      if (h.arm === arm && h.share.value !== null) closest = Math.max(closest ?? 0, h.share.value);
    }
    return {
      arm,
      failed: first !== undefined,
      first: first ? { kind: first.kind, offsetSeconds: first.offsetSeconds, detail: first.detail } : null,
      closestShare: closest,
    };
  });
  const limits: string[] = [];
  if (r.rig.machine?.limited) limits.push(r.rig.machine.reason ?? 'the machine was saturated');
  if (r.rig.rigLimited) limits.push('the producers could not generate the asked rate (rig-limited)');
  if (r.run.outcome !== 'completed') limits.push(`the run was ${r.run.outcome}`);
  return {
    multiplier,
    report: reportPath,
    outcome: r.run.outcome,
    rigLimit: limits.length > 0 ? limits.join('; ') : null,
    arms,
  };
}

/** Stop when every arm has failed at some step, or this step's rig was the limit. */
export function shouldStop(steps: readonly SweepStep[]): boolean {
  const last = steps[steps.length - 1];
  if (!last) return false;
  if (last.rigLimit !== null || last.outcome === 'refused') return true;
  return last.arms.every((a) =>
    steps.some((s) => s.rigLimit === null && s.arms.some((x) => x.arm === a.arm && x.failed)),
  );
}

/** Per arm: the highest multiplier held cleanly and the first failure beyond it. */
export interface ArmCapacity {
  arm: ArmName;
  highestClean: number | null;
  firstFailure: { multiplier: number; kind: SignalKind; offsetSeconds: number; detail: string } | null;
}

/** The capacity report. */
export interface CapacityReport {
  schema: 'pushpull.dev/capacity/v1';
  experiment: string;
  plan: SweepPlan;
  steps: SweepStep[];
  arms: ArmCapacity[];
  /** Why the sweep ended. */
  ended: string;
  sentence: string;
}

/** Each arm's capacity from the steps (steps where the rig was the limit are not read). */
export function armCapacities(steps: readonly SweepStep[]): ArmCapacity[] {
  const arms = steps[0]?.arms.map((a) => a.arm) ?? [];
  return arms.map((arm) => {
    let highestClean: number | null = null;
    let firstFailure: ArmCapacity['firstFailure'] = null;
    for (const s of steps) {
      if (s.rigLimit !== null) continue;
      const a = s.arms.find((x) => x.arm === arm);
      if (!a) continue;
      if (a.failed && a.first) {
        firstFailure = { multiplier: s.multiplier, ...a.first };
        break;
      }
      highestClean = s.multiplier;
    }
    return { arm, highestClean, firstFailure };
  });
}

const x = (m: number) => `${m}×`;

/** "As load grows, StatsD fails first (kernel UDP drop at 2× the burst); pull ...; OTLP held to 4×." */
export function capacitySentence(
  arms: readonly ArmCapacity[],
  steps: readonly SweepStep[],
  ended: string,
): string {
  const failed = arms
    .filter((a) => a.firstFailure)
    .sort(
      (a, b) =>
        a.firstFailure!.multiplier - b.firstFailure!.multiplier ||
        a.firstFailure!.offsetSeconds - b.firstFailure!.offsetSeconds,
    );
  const held = arms.filter((a) => !a.firstFailure);
  const parts = failed.map((a, i) => {
    const f = a.firstFailure!;
    return `${ARM_LABELS[a.arm]} ${i === 0 ? 'fails first' : 'fails next'} (${KIND_LABELS[f.kind]} at ${x(f.multiplier)} the load${a.highestClean === null ? ', already at the first step' : `, clean at ${x(a.highestClean)}`})`;
  });
  for (const a of held) {
    parts.push(
      a.highestClean === null
        ? `${ARM_LABELS[a.arm]} could not be read (every step was rig- or machine-limited)`
        : `${ARM_LABELS[a.arm]} held to ${x(a.highestClean)}`,
    );
  }
  const clean = steps.filter((s) => s.rigLimit === null).length;
  const prefix = failed.length === 0 ? 'No arm failed as load grew' : 'As load grows';
  return `${prefix}: ${parts.join('; ')} — ${clean} of ${steps.length} step(s) read, ${ended}.`;
}

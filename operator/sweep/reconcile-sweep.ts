/**
 * reconcileSweep: the I/O around plan.ts for an experiment with spec.sweep. It lists the sweep's step
 * experiments, reads the report ConfigMap of a step that finished, asks the plan what to do, creates
 * the next step, writes the capacity report (ConfigMap `<name>-capacity`: capacity.json and
 * capacity.md) at the end, and keeps the parent's status: the steps read, the step running, and the
 * one-sentence answer. Called by operator/reconcile.ts for a sweep instead of provisioning a workload.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import { parseReport } from '../../report/parse-report.ts';
import { readStep, type SweepStep } from '../../sweep/plan.ts';
import { renderCapacityMarkdown } from '../../sweep/render.ts';
import { describeError } from '../errors.ts';
import { ApiError } from '../k8s/port.ts';
import type { ReconcileDeps, ReconcileResult } from '../reconcile.ts';
import { stableJson } from '../render/hash.ts';
import { ownedMeta } from '../render/names.ts';
import type { ExperimentObject, KubeObject, Typed } from '../render/types.ts';
import { reportTextFrom } from '../report-configmap.ts';
import type { OperatorStatus } from '../status/types.ts';
import {
  MAX_SWEEP_NAME,
  planSweep,
  type StepView,
  SWEEP_LABEL,
  SWEEP_STEP_LABEL,
  type SweepStatus,
} from './plan.ts';

const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** The parent's status: the printable phase and message, the answer, and the sweep's own record. */
export interface SweepParentStatus extends OperatorStatus {
  sweep?: SweepStatus;
}

function stepView(x: KubeObject): StepView | undefined {
  const index = Number(x.metadata.labels?.[SWEEP_STEP_LABEL]);
  const multiplier = Number(x.metadata.annotations?.[`${API_GROUP}/sweep-multiplier`]);
  if (!Number.isInteger(index) || index < 1 || !(multiplier > 0)) return undefined;
  const s = x.status as OperatorStatus | undefined;
  return {
    index,
    name: x.metadata.name,
    multiplier,
    ...(s?.phase ? { phase: s.phase } : {}),
    ...(s?.reportConfigMap ? { reportConfigMap: s.reportConfigMap } : {}),
    ...(s?.message ? { message: s.message } : {}),
  };
}

/** The step a finished child's report says, or undefined when it has none readable. */
async function readChild(
  deps: ReconcileDeps,
  namespace: string,
  c: StepView,
): Promise<SweepStep | undefined> {
  if (!c.reportConfigMap) return undefined;
  const cm = await deps.kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: c.reportConfigMap });
  const text = cm ? reportTextFrom(cm as Pick<ConfigMap, 'data' | 'binaryData'>) : undefined;
  if (text === undefined) return undefined;
  try {
    return readStep(c.multiplier, c.reportConfigMap, parseReport(text, `ConfigMap ${c.reportConfigMap}`));
  } catch (err) {
    deps.log.warn('a step report could not be read', { step: c.name, error: describeError(err) });
    return undefined;
  }
}

/** One pass over a sweep experiment (validated, spec.sweep set). */
export async function reconcileSweep(
  x: ExperimentObject,
  prev: SweepParentStatus | undefined,
  generation: number,
  deps: ReconcileDeps,
): Promise<ReconcileResult> {
  const { kube } = deps;
  const { name, namespace } = x.metadata;
  const write = async (status: SweepParentStatus) => {
    if (prev && stableJson(prev) === stableJson(status)) return;
    await kube.applyStatus({ apiVersion: GROUP_VERSION, kind: KIND, metadata: { name, namespace }, status });
  };
  if (name.length > MAX_SWEEP_NAME) {
    await write({
      observedGeneration: generation,
      phase: 'Failed',
      message: `metadata.name: a sweep's name must be at most ${MAX_SWEEP_NAME} characters, so that its steps' names (${name}-step-N) fit`,
    });
    return {};
  }
  const children = (await kube.list(GROUP_VERSION, KIND, namespace, `${SWEEP_LABEL}=${name}`)).items
    .filter((c) => c.metadata.ownerReferences?.some((r) => r.uid === x.metadata.uid))
    .flatMap((c) => stepView(c) ?? []);
  const done = prev?.sweep?.steps.length ?? 0;
  const read = new Map<string, SweepStep>();
  for (const c of children) {
    if (c.index <= done || (c.phase !== 'Succeeded' && c.phase !== 'Failed')) continue;
    const step = await readChild(deps, namespace, c);
    if (step) read.set(c.name, step);
  }
  const decision = planSweep({
    parent: x,
    status: prev?.sweep,
    children,
    read,
    startedMs: Date.parse(x.metadata.creationTimestamp ?? '') || deps.clock.now(),
    nowMs: deps.clock.now(),
  });
  if (decision.create) {
    try {
      await kube.create(decision.create);
    } catch (err) {
      // Created by an earlier pass whose status write did not land.
      if (!(err instanceof ApiError && err.statusCode === 409)) throw err;
    }
  }
  if (decision.capacity && !prev?.sweep?.ended) {
    const cm: Typed<ConfigMap> = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: ownedMeta(x, decision.status.capacityConfigMap!, 'report', false),
      data: {
        'capacity.json': `${JSON.stringify(decision.capacity, null, 2)}\n`,
        'capacity.md': renderCapacityMarkdown(decision.capacity),
      },
    };
    await kube.apply(cm);
  }
  await write({
    observedGeneration: generation,
    phase: decision.phase,
    message: decision.message,
    ...(decision.status.sentence ? { verdict: decision.status.sentence } : {}),
    sweep: decision.status,
  });
  if (decision.capacity && !prev?.sweep?.ended) {
    await kube
      .createEvent({
        involved: x as unknown as KubeObject,
        type: 'Normal',
        reason: 'SweepFinished',
        message: decision.message,
      })
      .catch((err: unknown) => deps.log.warn('event not recorded', { error: describeError(err) }));
  }
  return decision.requeueAfterMs !== undefined ? { requeueAfterMs: decision.requeueAfterMs } : {};
}

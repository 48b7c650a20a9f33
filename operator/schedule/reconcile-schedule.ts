/**
 * reconcileSchedule(key): the thin I/O around plan.ts for one PushPullSchedule. It reads the schedule,
 * the experiments it owns and the reports it kept, loads the newest pair of reports when that pair was
 * not compared yet, asks the plan what to do, does it (keep reports, delete, clean up, create), sends
 * the Events and writes the status only when it changed. Errors propagate to the manager's
 * classification (operator/errors.ts): transient ones are retried with backoff. Registered by
 * operator/manager.ts.
 */
import { SCHEDULE_KIND } from '../../api/v1alpha1/schedule-schema.ts';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import { parseReport } from '../../report/parse-report.ts';
import { describeError } from '../errors.ts';
import { ApiError, type KubePort } from '../k8s/port.ts';
import type { Logger } from '../log.ts';
import { parseKey, type ReconcileResult } from '../reconcile.ts';
import { stableJson } from '../render/hash.ts';
import { EXPERIMENT_LABEL } from '../render/names.ts';
import type { KubeObject } from '../render/types.ts';
import { reportDataPatch, reportTextFrom } from '../report-configmap.ts';
import { SCHEDULE_LABEL, SCHEDULED_AT_ANNOTATION, scheduleOwnerReference } from './names.ts';
import { planSchedule, type ScheduleObject } from './plan.ts';
import { comparisonPair, type LoadedPair } from './regression.ts';
import { type KeptReport, keptReportOf, type RunView, runOf } from './runs.ts';

export interface ScheduleDeps {
  kube: KubePort;
  clock: { now(): number };
  log: Logger;
}

const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

async function loadReport(kube: KubePort, namespace: string, configMap: string) {
  const cm = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: configMap });
  const text = cm ? reportTextFrom(cm as { data?: Record<string, string> }) : undefined;
  if (text === undefined) throw new Error(`ConfigMap ${configMap} holds no report`);
  return parseReport(text, `ConfigMap ${configMap}`);
}

/** Loads the reports to compare unless the status says that comparison was made already. */
async function loadPair(
  kube: KubePort,
  schedule: ScheduleObject,
  runs: RunView[],
  kept: KeptReport[],
): Promise<LoadedPair | undefined> {
  const baseline = (schedule.spec as { regression?: { baseline?: unknown } }).regression?.baseline;
  const refs = comparisonPair(runs, kept, typeof baseline === 'string' ? baseline : undefined);
  if (!refs) return undefined;
  const names = {
    newest: refs.newest.experiment,
    ...(refs.previous ? { previous: refs.previous.experiment } : {}),
    ...(refs.baseline ? { baseline: refs.baseline } : {}),
  };
  const done = schedule.status?.comparison;
  if (
    done &&
    done.newest === names.newest &&
    done.previous === names.previous &&
    done.baseline === names.baseline
  ) {
    return undefined;
  }
  try {
    const ns = schedule.metadata.namespace;
    const load = (configMap: string | undefined) => (configMap ? loadReport(kube, ns, configMap) : undefined);
    const [newest, previous, base] = await Promise.all([
      loadReport(kube, ns, refs.newest.configMap),
      load(refs.previous?.configMap),
      load(refs.baseline),
    ]);
    return {
      ...names,
      reports: { newest, ...(previous ? { previous } : {}), ...(base ? { baseline: base } : {}) },
      configMaps: {
        newest: refs.newest.configMap,
        ...(refs.previous ? { previous: refs.previous.configMap } : {}),
      },
    };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return { ...names, error: `could not compare: ${describeError(err)}` };
  }
}

const ignoreMissing = (err: unknown) => {
  if (err instanceof ApiError && err.statusCode === 404) return;
  throw err;
};

/** One pass over schedule `key`. */
export async function reconcileSchedule(key: string, deps: ScheduleDeps): Promise<ReconcileResult> {
  const { kube, log } = deps;
  const { namespace, name } = parseKey(key);
  const raw = await kube.get({ apiVersion: GROUP_VERSION, kind: SCHEDULE_KIND, namespace, name });
  // Deleted: its runs and kept reports go with it (owner references).
  if (!raw || raw.metadata.deletionTimestamp) return {};
  const schedule = raw as unknown as ScheduleObject;
  const selector = `${SCHEDULE_LABEL}=${name}`;
  const owned = (o: KubeObject) =>
    o.metadata.ownerReferences?.some((r) => r.uid === raw.metadata.uid) ?? false;
  const [experiments, configMaps] = await Promise.all([
    kube.list(GROUP_VERSION, KIND, namespace, selector),
    kube.list('v1', 'ConfigMap', namespace, selector),
  ]);
  const runs = experiments.items.filter(owned).flatMap((x) => runOf(x) ?? []);
  const kept = configMaps.items
    .filter(owned)
    .flatMap((cm) => keptReportOf(cm, cm.metadata.labels?.[EXPERIMENT_LABEL] ?? cm.metadata.name) ?? []);
  const pair = await loadPair(kube, schedule, runs, kept);
  const nowMs = deps.clock.now();
  const plan = planSchedule({ schedule, runs, keptReports: kept, nowMs, ...(pair ? { pair } : {}) });

  const owner = scheduleOwnerReference({ name, uid: raw.metadata.uid! });
  for (const k of plan.keepReports) {
    await kube
      .mergePatch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: k.configMap },
        {
          metadata: {
            ownerReferences: [owner],
            labels: { [SCHEDULE_LABEL]: name },
            annotations: { [SCHEDULED_AT_ANNOTATION]: k.scheduledAt },
          },
        },
      )
      .catch(ignoreMissing);
  }
  if (plan.report) {
    // Before the status says this pair was compared: a restart in between compares it again.
    await kube
      .mergePatch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: plan.report.configMap },
        reportDataPatch(plan.report.report),
      )
      .catch(ignoreMissing);
  }
  for (const x of plan.delete)
    await kube.delete({ apiVersion: GROUP_VERSION, kind: KIND, namespace, name: x });
  for (const cm of plan.deleteReports)
    await kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: cm });
  for (const x of plan.cleanup) {
    // The experiment's own TTL cleanup deletes the workload in order and keeps the report.
    await kube
      .mergePatch(
        { apiVersion: GROUP_VERSION, kind: KIND, namespace, name: x },
        { spec: { ttlSecondsAfterFinished: 0 } },
      )
      .catch(ignoreMissing);
  }
  if (plan.create) {
    try {
      await kube.create(plan.create);
    } catch (err) {
      // Created by an earlier pass whose status write did not land: the name is the tick's.
      if (!(err instanceof ApiError && err.statusCode === 409)) throw err;
    }
  }
  if (stableJson(schedule.status ?? {}) !== stableJson(plan.status)) {
    await kube.applyStatus({
      apiVersion: GROUP_VERSION,
      kind: SCHEDULE_KIND,
      metadata: { name, namespace },
      status: plan.status,
    });
  }
  for (const e of plan.events) {
    try {
      await kube.createEvent({ involved: raw, ...e });
    } catch (err) {
      // An Event is a courtesy: the status carries the same facts.
      log.warn('event not recorded', { schedule: key, reason: e.reason, error: describeError(err) });
    }
  }
  return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : {};
}

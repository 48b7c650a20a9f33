/**
 * `pushpull history SCHEDULE`: the reports a PushPullSchedule has, read from the cluster: those of the
 * runs it still owns and those it kept after deleting their experiments, with the schedule's own
 * regression thresholds. The trend itself is report/trend.ts, the same as `pushpull compare DIR`.
 */
import { SCHEDULE_KIND } from '../../api/v1alpha1/schedule-schema.ts';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { validateScheduleDocument } from '../../api/v1alpha1/validate-schedule.ts';
import { UsageError } from '../../errors/usage-error.ts';
import type { CompareThresholds } from '../../report/compare.ts';
import { parseReport } from '../../report/parse-report.ts';
import type { Report } from '../../report/types.ts';
import type { KubePort } from '../k8s/port.ts';
import { EXPERIMENT_LABEL } from '../render/names.ts';
import { reportTextFrom } from '../report-configmap.ts';
import { SCHEDULE_LABEL } from './names.ts';
import { runOf } from './runs.ts';

export interface ScheduleHistory {
  thresholds: CompareThresholds;
  runs: Array<{ label: string; report: Report }>;
  /** Runs without a report yet (still going, or collection failed). */
  withoutReport: string[];
}

/** Reads schedule `name`'s reports; a UsageError when there is no such schedule. */
export async function readScheduleHistory(
  kube: KubePort,
  namespace: string,
  name: string,
): Promise<ScheduleHistory> {
  const groupVersion = `${API_GROUP}/${API_VERSION}`;
  const schedule = await kube.get({ apiVersion: groupVersion, kind: SCHEDULE_KIND, namespace, name });
  if (!schedule) throw new UsageError(`pps ${namespace}/${name}: no such PushPullSchedule`);
  // The spec alone (a status key, even undefined, is an unknown field to the walker).
  const validated = validateScheduleDocument({
    apiVersion: groupVersion,
    kind: SCHEDULE_KIND,
    metadata: { name },
    spec: schedule.spec,
  });
  // Never compare under no thresholds in silence: that would call every run fine.
  if (!validated.ok) {
    throw new UsageError(
      `pps ${namespace}/${name}: its spec is invalid, so its regression thresholds are unknown: ${validated.errors.map(formatSpecError).join('; ')}`,
    );
  }
  const thresholds: CompareThresholds = validated.document.spec.regression;
  const selector = `${SCHEDULE_LABEL}=${name}`;
  const [experiments, kept] = await Promise.all([
    kube.list(groupVersion, KIND, namespace, selector),
    kube.list('v1', 'ConfigMap', namespace, selector),
  ]);
  const configMaps = new Map<string, { experiment: string }>();
  for (const cm of kept.items) {
    configMaps.set(cm.metadata.name, {
      experiment: cm.metadata.labels?.[EXPERIMENT_LABEL] ?? cm.metadata.name,
    });
  }
  const withoutReport: string[] = [];
  for (const x of experiments.items) {
    const run = runOf(x);
    if (!run) continue;
    if (run.reportConfigMap) configMaps.set(run.reportConfigMap, { experiment: run.name });
    else withoutReport.push(run.name);
  }
  const runs = await Promise.all(
    [...configMaps].map(async ([cmName, { experiment }]) => {
      const cm = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: cmName });
      const text = cm ? reportTextFrom(cm as { data?: Record<string, string> }) : undefined;
      if (text === undefined) return undefined;
      return { label: experiment, report: parseReport(text, `ConfigMap ${namespace}/${cmName}`) };
    }),
  );
  return {
    thresholds,
    runs: runs.filter((r): r is { label: string; report: Report } => r !== undefined),
    withoutReport: withoutReport.sort(),
  };
}

/**
 * The short-lived jobs' ledgers in a cluster: each job pod writes its ledger as its container's
 * termination message (operator/render/short-lived-jobs.ts), read back here from the pods' status.
 * A pod that did not end, or ended without a readable ledger, is named in `missing` with the reason, and
 * a planned job with no pod at all too. Pure: reconcile lists the pods and hands them over.
 */
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { jobInstance } from '../driver/jobs.ts';
import { type JobLedger, parseJobLedger } from '../loadgen/job-ledger.ts';
import { JOB_BATCH_LABEL, JOB_COMPLETION_INDEX_LABEL } from './render/names.ts';
import type { KubeObject } from './render/types.ts';

interface TerminatedView {
  state?: { terminated?: { exitCode?: number; reason?: string; message?: string } };
}

/** The ledgers of the job pods, and what is missing. */
export function jobLedgersFromPods(
  spec: Pick<ExperimentSpec, 'jobs'>,
  pods: readonly KubeObject[],
): { ledgers: JobLedger[]; missing: string[] } {
  const ledgers: JobLedger[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    const batch = labels[JOB_BATCH_LABEL];
    const index = labels[JOB_COMPLETION_INDEX_LABEL];
    if (batch === undefined || index === undefined) continue;
    const instance = jobInstance(batch, Number(index));
    const status = p.status as { containerStatuses?: TerminatedView[] } | undefined;
    const terminated = status?.containerStatuses?.[0]?.state?.terminated;
    if (!terminated) {
      missing.push(
        `job ${instance} (pod ${p.metadata.name}) had not ended at the cut-off: its ledger is missing`,
      );
      continue;
    }
    if (!terminated.message) {
      missing.push(
        `job ${instance} (pod ${p.metadata.name}) ended (${terminated.reason ?? `exit ${terminated.exitCode}`}) without a ledger`,
      );
      continue;
    }
    try {
      const ledger = parseJobLedger(terminated.message, `pod ${p.metadata.name} termination message`);
      if (seen.has(ledger.instance)) continue;
      seen.add(ledger.instance);
      ledgers.push(ledger);
    } catch (err) {
      missing.push(err instanceof Error ? err.message : String(err));
    }
  }
  for (const b of spec.jobs ?? []) {
    const absent = Array.from({ length: b.count }, (_, i) => jobInstance(b.name, i)).filter(
      (i) => !seen.has(i) && !missing.some((m) => m.startsWith(`job ${i} `)),
    );
    if (absent.length > 0) missing.push(`batch ${b.name}: no pod of job(s) ${absent.join(', ')} was found`);
  }
  ledgers.sort((a, b) => a.batch.localeCompare(b.batch) || a.index - b.index);
  return { ledgers, missing };
}

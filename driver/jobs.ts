/**
 * The game day's short-lived jobs on the wall clock, as pure functions: when each job of `spec.jobs`
 * starts (its phase's start + offsetSeconds + its share of spreadSeconds), the job name it reports
 * under (the batch's name, or NAME-renamed from job `renameAfterJobs` on: the seed's incident), and
 * which jobs may start now without exceeding a batch's `maxConcurrent`. The local runtime starts each
 * as a process; the operator renders each batch as one Indexed Job (operator/render/jobs.ts).
 */
import type { ExperimentSpec, JobBatch, JobPath } from '../api/v1alpha1/schema.ts';
import type { Timeline } from '../schedule/timeline.ts';

/** One job of a batch on the wall clock. */
export interface PlannedJob {
  batch: string;
  /** Its batch's index in spec.jobs. */
  batchIndex: number;
  /** 0-based within the batch. */
  index: number;
  path: JobPath;
  /** When it is due to start (it may start later when its batch is at maxConcurrent). */
  atMs: number;
  /** The `job` label / grouping key it reports under. */
  jobName: string;
  /** `<batch>-<index>`: the job's instance, the same in every runtime. */
  instance: string;
}

/** The suffix of a renamed batch's job name. */
export const RENAMED_SUFFIX = '-renamed';

/** The job name job `index` of `batch` reports under. */
export function jobNameOf(batch: Pick<JobBatch, 'name' | 'renameAfterJobs'>, index: number): string {
  return batch.renameAfterJobs !== undefined && index >= batch.renameAfterJobs
    ? `${batch.name}${RENAMED_SUFFIX}`
    : batch.name;
}

/** The instance of job `index` of `batch`. */
export function jobInstance(batch: string, index: number): string {
  return `${batch}-${index}`;
}

/** Seconds after the batch's first start that job `index` is due: evenly over spreadSeconds. */
export function jobOffsetSeconds(batch: Pick<JobBatch, 'count' | 'spreadSeconds'>, index: number): number {
  return batch.count <= 1 ? 0 : (index * batch.spreadSeconds) / batch.count;
}

/** Every job of the spec on the timeline, in start order. */
export function planJobs(spec: Pick<ExperimentSpec, 'jobs'>, timeline: Timeline): PlannedJob[] {
  return (spec.jobs ?? [])
    .flatMap((b, batchIndex) => {
      const phase = timeline.phases.find((p) => p.name === b.phase);
      if (!phase)
        throw new RangeError(`spec.jobs[${batchIndex}].phase: ${JSON.stringify(b.phase)} is not a phase`);
      const firstMs = phase.startMs + b.offsetSeconds * 1000;
      return Array.from({ length: b.count }, (_, index) => ({
        batch: b.name,
        batchIndex,
        index,
        path: b.path,
        atMs: Math.round(firstMs + jobOffsetSeconds(b, index) * 1000),
        jobName: jobNameOf(b, index),
        instance: jobInstance(b.name, index),
      }));
    })
    .sort((a, b) => a.atMs - b.atMs || a.batchIndex - b.batchIndex || a.index - b.index);
}

const key = (j: Pick<PlannedJob, 'batch' | 'index'>) => `${j.batch}/${j.index}`;

/**
 * The jobs to start now: due, not started, and within their batch's maxConcurrent given how many of
 * the batch are alive (`live`, by batch name). A batch's jobs start in index order.
 */
export function jobsToStart(
  spec: Pick<ExperimentSpec, 'jobs'>,
  planned: readonly PlannedJob[],
  started: ReadonlySet<string>,
  live: ReadonlyMap<string, number>,
  nowMs: number,
): PlannedJob[] {
  const room = new Map((spec.jobs ?? []).map((b) => [b.name, b.maxConcurrent - (live.get(b.name) ?? 0)]));
  const out: PlannedJob[] = [];
  for (const j of planned) {
    if (j.atMs > nowMs || started.has(key(j))) continue;
    const left = room.get(j.batch) ?? 0;
    if (left <= 0) continue;
    room.set(j.batch, left - 1);
    out.push(j);
  }
  return out;
}

/** The key `jobsToStart` reads in `started`. */
export const plannedJobKey = key;

/** When the next job not yet started is due (null: none left). */
export function nextJobAtMs(planned: readonly PlannedJob[], started: ReadonlySet<string>): number | null {
  return planned.find((j) => !started.has(key(j)))?.atMs ?? null;
}

/**
 * The short-lived jobs of a local rehearsal (`spec.jobs`): each job is a `pushpull job` process started
 * under the run's one Supervisor at its planned instant (driver/jobs.ts), never more than its batch's
 * maxConcurrent alive at once; each writes its ledger to `<outDir>/jobs/<instance>.json` as it exits.
 * Jobs of path pull-direct get their port before the collectors start, so the subject Prometheus lists
 * them as targets from the start (a target is up only while its job lives). Called by local/rehearsal.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import {
  jobInstance,
  jobsToStart,
  nextJobAtMs,
  type PlannedJob,
  planJobs,
  plannedJobKey,
} from '../driver/jobs.ts';
import { type JobLedger, parseJobLedger } from '../loadgen/job-ledger.ts';
import type { ExitInfo } from '../process/exit.ts';
import { freePorts } from '../process/ports.ts';
import type { ChildHandle, Supervisor } from '../process/supervisor.ts';
import type { Timeline } from '../schedule/timeline.ts';
import type { CollectorEndpoints } from './collectors.ts';
import type { JobTarget } from './render-prometheus.ts';

const HOST = '127.0.0.1';
const PUSHPULL_BIN = new URL('../bin/pushpull.js', import.meta.url).pathname;
/** The process name of a job under the supervisor: its exit is the end of its life, not a failure. */
export const JOB_PROCESS_PREFIX = 'job-';

/** The port each pull-direct job will serve on, by instance; chosen before the collectors start. */
export async function allocateJobPorts(spec: ExperimentSpec): Promise<Map<string, number>> {
  const instances = (spec.jobs ?? [])
    .filter((b) => b.path === 'pull-direct')
    .flatMap((b) => Array.from({ length: b.count }, (_, i) => jobInstance(b.name, i)));
  const ports = instances.length > 0 ? await freePorts(instances.length) : [];
  return new Map(instances.map((instance, i) => [instance, ports[i]!]));
}

/** The pull-direct jobs as targets of the subject Prometheus. */
export function jobTargetsOf(spec: ExperimentSpec, ports: ReadonlyMap<string, number>): JobTarget[] {
  return (spec.jobs ?? [])
    .filter((b) => b.path === 'pull-direct')
    .flatMap((b) =>
      Array.from({ length: b.count }, (_, i) => {
        const instance = jobInstance(b.name, i);
        return { batch: b.name, instance, address: `${HOST}:${ports.get(instance)}` };
      }),
    );
}

/** What the jobs left for the measurement. */
export interface JobsOutcome {
  ledgers: JobLedger[];
  /** One line per job that left no ledger or was never started, with the reason. */
  missing: string[];
}

export interface JobRunnerOptions {
  spec: ExperimentSpec;
  specFile: string;
  outDir: string;
  supervisor: Supervisor;
  endpoints: CollectorEndpoints;
  ports: ReadonlyMap<string, number>;
  log: (line: string) => void;
}

interface RunningJob {
  job: PlannedJob;
  child: ChildHandle;
  exited: Promise<ExitInfo>;
}

/** Starts and follows the jobs of one run. */
export class JobRunner {
  readonly #o: JobRunnerOptions;
  #planned: PlannedJob[] = [];
  readonly #started = new Set<string>();
  readonly #running = new Map<string, RunningJob>();
  readonly #ended: { job: PlannedJob; exit: ExitInfo | null }[] = [];

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** Puts the jobs on the run's timeline (once startAt is known). */
  plan(timeline: Timeline): void {
    this.#planned = planJobs(this.#o.spec, timeline);
  }

  /** When the next job not yet started is due; null when none is left. */
  nextAtMs(): number | null {
    return nextJobAtMs(this.#planned, this.#started);
  }

  /** Jobs alive now. */
  get liveCount(): number {
    return this.#running.size;
  }

  /** Starts every job that is due now and has room in its batch. */
  async startDue(nowMs: number): Promise<void> {
    const live = new Map<string, number>();
    for (const r of this.#running.values()) live.set(r.job.batch, (live.get(r.job.batch) ?? 0) + 1);
    const due = jobsToStart(this.#o.spec, this.#planned, this.#started, live, nowMs);
    await Promise.all(due.map((j) => this.#start(j)));
  }

  async #start(job: PlannedJob): Promise<void> {
    const { outDir, supervisor, endpoints, specFile } = this.#o;
    const key = plannedJobKey(job);
    this.#started.add(key);
    const pathArgs: string[] = [];
    if (job.path === 'pull-direct')
      pathArgs.push('--metrics-listen', `${HOST}:${this.#o.ports.get(job.instance)}`);
    if (job.path === 'pushgateway') pathArgs.push('--pushgateway', endpoints.pushgatewayUrl ?? '');
    if (job.path === 'statsd' && endpoints.statsd)
      pathArgs.push('--statsd', `${endpoints.statsd.udpHost}:${endpoints.statsd.udpPort}`);
    if (job.path === 'otlp' && endpoints.otlp) {
      const url =
        this.#o.spec.arms.otlp?.protocol === 'http'
          ? endpoints.otlp.httpUrl
          : `http://${endpoints.otlp.grpcEndpoint}`;
      pathArgs.push('--otlp-endpoint', url);
    }
    try {
      const child = await supervisor.start({
        name: `${JOB_PROCESS_PREFIX}${job.instance}`,
        command: process.execPath,
        args: [
          PUSHPULL_BIN,
          'job',
          '--spec',
          specFile,
          '--batch',
          job.batch,
          '--job-index',
          String(job.index),
          '--ledger-out',
          this.#ledgerFile(job),
          ...pathArgs,
        ],
        logFile: join(outDir, 'logs', `job-${job.instance}.log`),
      });
      const exited = child.exited.then((exit) => {
        this.#running.delete(key);
        this.#ended.push({ job, exit });
        return exit;
      });
      this.#running.set(key, { job, child, exited });
      this.#o.log(`job ${job.instance} (${job.path}) started (pid ${child.pid})`);
    } catch (err) {
      this.#ended.push({ job, exit: null });
      this.#o.log(`job ${job.instance} did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  #ledgerFile(job: PlannedJob): string {
    return join(this.#o.outDir, 'jobs', `${job.instance}.json`);
  }

  /**
   * Waits (at most `timeoutMs`) for the live jobs to end by themselves, then stops any left (their
   * ledgers are then missing, and said so).
   */
  async finish(timeoutMs: number): Promise<void> {
    const running = [...this.#running.values()];
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => {
      timer = setTimeout(r, timeoutMs);
    });
    await Promise.race([Promise.all(running.map((r) => r.exited)), deadline]);
    clearTimeout(timer);
    await Promise.all([...this.#running.values()].map((r) => this.#o.supervisor.stop(r.child)));
  }

  /** The ledgers the jobs wrote, and what is missing. */
  outcome(): JobsOutcome {
    const ledgers: JobLedger[] = [];
    const missing: string[] = [];
    for (const { job, exit } of this.#ended) {
      const file = this.#ledgerFile(job);
      if (!existsSync(file)) {
        missing.push(
          `job ${job.instance} (${job.path}) left no ledger (${exit === null ? 'it did not start' : `it exited with ${exit.signal ?? `code ${exit.code}`}`}); see logs/job-${job.instance}.log`,
        );
        continue;
      }
      try {
        ledgers.push(parseJobLedger(readFileSync(file, 'utf8'), file));
      } catch (err) {
        missing.push(`job ${job.instance}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const notStarted = this.#planned.filter((j) => !this.#started.has(plannedJobKey(j)));
    if (notStarted.length > 0) {
      missing.push(
        `${notStarted.length} job(s) never started before the cut-off: ${notStarted.map((j) => j.instance).join(', ')}`,
      );
    }
    ledgers.sort((a, b) => a.batch.localeCompare(b.batch) || a.index - b.index);
    return { ledgers, missing };
  }
}

/**
 * The ledgers the jobs of a run left in `<outDir>/jobs/` (for a run rebuilt after the rig was killed:
 * the runner's own record of them died with it), and how many of the spec's jobs are not there.
 */
export function jobLedgersInDir(spec: ExperimentSpec, outDir: string): JobsOutcome {
  const dir = join(outDir, 'jobs');
  const ledgers: JobLedger[] = [];
  const missing: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    // No folder: no job had ended when the rig died.
  }
  for (const f of files.sort()) {
    try {
      ledgers.push(parseJobLedger(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
    } catch (err) {
      missing.push(err instanceof Error ? err.message : String(err));
    }
  }
  const planned = (spec.jobs ?? []).reduce((n, b) => n + b.count, 0);
  if (ledgers.length < planned) {
    missing.push(
      `${planned - ledgers.length} of ${planned} short-lived jobs left no ledger in ${dir} (never started, or still running when the rig was killed)`,
    );
  }
  ledgers.sort((a, b) => a.batch.localeCompare(b.batch) || a.index - b.index);
  return { ledgers, missing };
}

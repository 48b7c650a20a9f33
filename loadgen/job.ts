/**
 * One short-lived job (`pushpull job`): job `--job-index` of batch `--batch` of a spec's `jobs`. It
 * opens its path (loadgen/job-paths.ts), generates `eventsPerJob` events evenly over `lifetimeSeconds`
 * with the producers' generator (loadgen/generator.ts, one virtual producer on a one-phase schedule),
 * ends its life on the path (stops serving / pushes / flushes / exports), writes its ledger and exits.
 * Locally a process of the rehearsal (local/short-lived-jobs.ts), in a cluster a pod of an Indexed Job.
 *
 * Lines on stdout (JSON): `ready` (path open, life starts), `final` (with the ledger), `error`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExperimentSpec, JobBatch } from '../api/v1alpha1/schema.ts';
import { jobInstance, jobNameOf, jobOffsetSeconds } from '../driver/jobs.ts';
import { buildRateSchedule } from '../schedule/rate.ts';
import type { Clock } from '../schedule/timeline.ts';
import { createGenerator } from './generator.ts';
import { type JobLedger, newJobLedger } from './job-ledger.ts';
import { createJobReporter, type JobTargets } from './job-paths.ts';
import { newProducerLedger } from './ledger.ts';

export interface JobOptions {
  spec: ExperimentSpec;
  batch: JobBatch;
  index: number;
  targets: JobTargets;
  /** Where the ledger is written (a file, or /dev/termination-log in a pod); omitted: stdout only. */
  ledgerOut?: string;
  /** Generation tick, ms. */
  tickMs?: number;
  /**
   * The batch's first start (unix ms): the job waits until its own start (this + its share of
   * spreadSeconds) before it lives. Omitted: it lives at once (the local runner starts it on time).
   */
  batchStartMs?: number;
}

export interface JobIo {
  clock: Clock;
  emit(event: Record<string, unknown>): void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The batch `name` of the spec; throws a RangeError naming the allowed names. */
export function batchOf(spec: ExperimentSpec, name: string): JobBatch {
  const batch = spec.jobs?.find((b) => b.name === name);
  if (!batch) {
    const names = (spec.jobs ?? []).map((b) => JSON.stringify(b.name));
    throw new RangeError(
      `--batch: ${JSON.stringify(name)} is not a batch of spec.jobs; allowed: ${names.join(', ') || '(the spec has no jobs)'}`,
    );
  }
  return batch;
}

/** Runs the job to its end; resolves to the exit code (0: no error met). */
export async function runJob(opts: JobOptions, io: JobIo): Promise<number> {
  const { spec, batch, index } = opts;
  const { clock } = io;
  if (!Number.isInteger(index) || index < 0 || index >= batch.count) {
    throw new RangeError(`--job-index: ${index} is not allowed; expected an integer 0 to ${batch.count - 1}`);
  }
  const ledger: JobLedger = newJobLedger({
    batch: batch.name,
    path: batch.path,
    index,
    jobName: jobNameOf(batch, index),
    instance: jobInstance(batch.name, index),
    startedAt: iso(clock.now()),
  });
  try {
    if (opts.batchStartMs !== undefined) {
      // In a cluster all of a batch's pods may start together: each waits for its own instant, bounded.
      const dueMs = opts.batchStartMs + jobOffsetSeconds(batch, index) * 1000;
      const waitMs = Math.min(dueMs - clock.now(), spec.maxDurationSeconds * 1000);
      if (waitMs > 0) {
        io.emit({ event: 'waiting', until: iso(clock.now() + waitMs) });
        await sleep(waitMs);
      }
    }
    const reporter = await createJobReporter({
      spec,
      path: batch.path,
      batch: batch.name,
      jobName: ledger.jobName,
      instance: ledger.instance,
      ledger,
      targets: opts.targets,
    });
    const metricsPort = await reporter.start();
    const liveFromMs = clock.now();
    ledger.liveFrom = iso(liveFromMs);
    io.emit({ event: 'ready', batch: batch.name, index, pid: process.pid, metricsPort });
    // One virtual producer on a one-phase schedule: eventsPerJob spread evenly over the job's life.
    const schedule = buildRateSchedule([
      {
        name: 'job',
        durationSeconds: batch.lifetimeSeconds,
        eventsPerSecond: batch.eventsPerJob / batch.lifetimeSeconds,
        rampSeconds: 0,
        symbols: 1,
      },
    ]);
    const producerLedger = newProducerLedger(ledger.instance);
    const generator = createGenerator({
      schedule,
      startAtMs: liveFromMs,
      armedAtMs: liveFromMs,
      clock,
      series: spec.series,
      seed: spec.seed,
      producerIndexes: [index],
      ledgers: [producerLedger],
      sinks: [{ record: () => reporter.record(1) }],
      onSymbols: () => {},
      maxEventsPerTick: 5000,
      rigLimitAfterMs: 1000,
    });
    // Bounded: the schedule ends after lifetimeSeconds; the cap stops a stalled clock from looping forever.
    const tickMs = opts.tickMs ?? 10;
    const maxTicks = Math.ceil((batch.lifetimeSeconds * 1000) / tickMs) * 4 + 100;
    for (let tick = 0; tick < maxTicks; tick++) {
      const r = generator.tick();
      ledger.eventsGenerated = producerLedger.eventsGenerated;
      if (r.done) break;
      await sleep(r.behind ? 0 : tickMs);
    }
    ledger.liveUntil = iso(clock.now());
    await reporter.finish();
  } catch (err) {
    ledger.errors.push(message(err));
  }
  ledger.endedAt = iso(clock.now());
  const text = JSON.stringify(ledger);
  if (opts.ledgerOut) {
    try {
      await writeLedger(opts.ledgerOut, text);
    } catch (err) {
      ledger.errors.push(`--ledger-out ${opts.ledgerOut}: ${message(err)}`);
    }
  }
  for (const e of ledger.errors) io.emit({ event: 'error', message: e });
  io.emit({ event: 'final', ledger });
  return ledger.errors.length === 0 ? 0 : 1;
}

/** A file is replaced atomically; /dev/termination-log (or any path under /dev) is written in place. */
async function writeLedger(path: string, text: string): Promise<void> {
  if (path.startsWith('/dev/')) {
    await writeFile(path, text);
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${text}\n`);
  await rename(tmp, path);
}

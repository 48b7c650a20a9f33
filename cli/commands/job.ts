/**
 * `pushpull job`: one short-lived job of a spec's `jobs` (loadgen/job.ts): it opens its path, generates
 * its events over its lifetime, pushes/flushes/exports them as its path does at exit, writes its ledger
 * and exits. Started by the local rehearsal and by the pods of the operator's Indexed Jobs. Prints JSON
 * lines (ready, final, error); a bad flag or spec is an error line with exit code 2.
 */
import { SpecFileUnreadableError } from '../../api/v1alpha1/load.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { parseHostPort } from '../../loadgen/address.ts';
import { batchOf, runJob } from '../../loadgen/job.ts';
import type { JobTargets } from '../../loadgen/job-paths.ts';
import { systemClock } from '../../schedule/timeline.ts';
import type { Command } from '../command.ts';
import { emit, specOrEmitErrors } from './process-io.ts';

export interface JobArgs {
  spec: string;
  batch: string;
  jobIndex?: number;
  metricsListen?: string;
  pushgateway?: string;
  statsd?: string;
  otlpEndpoint?: string;
  ledgerOut?: string;
  startAt?: string;
}

/** The job index: --job-index, else JOB_COMPLETION_INDEX (set by Kubernetes in an Indexed Job's pods). */
export function jobIndexOf(args: Pick<JobArgs, 'jobIndex'>, env: NodeJS.ProcessEnv): number {
  const fromEnv = env.JOB_COMPLETION_INDEX;
  const raw = args.jobIndex ?? (fromEnv === undefined ? undefined : Number(fromEnv));
  if (raw === undefined || !Number.isInteger(raw) || raw < 0) {
    const given =
      args.jobIndex !== undefined
        ? String(args.jobIndex)
        : fromEnv !== undefined
          ? `JOB_COMPLETION_INDEX=${JSON.stringify(fromEnv)}`
          : 'missing';
    throw new UsageError(
      `--job-index: ${given}; expected an integer >= 0 (or JOB_COMPLETION_INDEX in an Indexed Job)`,
    );
  }
  return raw;
}

function targetsOf(args: JobArgs): JobTargets {
  const hp = (v: string | undefined, flag: string, allowZero: boolean) => {
    if (v === undefined) return undefined;
    try {
      return parseHostPort(v, flag, allowZero);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
  const metricsListen = hp(args.metricsListen, '--metrics-listen', true);
  const statsd = hp(args.statsd, '--statsd', false);
  return {
    ...(metricsListen ? { metricsListen } : {}),
    ...(statsd ? { statsd } : {}),
    ...(args.pushgateway !== undefined ? { pushgatewayUrl: args.pushgateway } : {}),
    ...(args.otlpEndpoint !== undefined ? { otlpEndpoint: args.otlpEndpoint } : {}),
  };
}

export const jobCommand: Command = {
  command: 'job',
  describe:
    'Run one short-lived job of an experiment’s spec.jobs (used by the local runner and the operator)',
  builder: (y) =>
    y
      .option('spec', { type: 'string', demandOption: true, describe: 'Experiment spec file (YAML)' })
      .option('batch', { type: 'string', demandOption: true, describe: 'The batch’s name in spec.jobs' })
      .option('job-index', {
        type: 'number',
        describe: 'Which job of the batch (0-based); default: JOB_COMPLETION_INDEX',
      })
      .option('metrics-listen', { type: 'string', describe: 'pull-direct: HOST:PORT to serve /metrics on' })
      .option('pushgateway', { type: 'string', describe: 'pushgateway: its URL, e.g. http://127.0.0.1:9091' })
      .option('statsd', { type: 'string', describe: 'statsd: HOST:PORT of statsd_exporter (UDP)' })
      .option('otlp-endpoint', {
        type: 'string',
        describe: 'otlp: collector URL, e.g. http://127.0.0.1:4317',
      })
      .option('start-at', {
        type: 'string',
        describe:
          'RFC 3339 instant of the batch’s first start: wait for this job’s own start (default: live now)',
      })
      .option('ledger-out', { type: 'string', describe: 'Write the job’s ledger (JSON) here as it exits' })
      .example(
        '$0 job --spec examples/game-day-liveness.yaml --batch cron-push --job-index 0 --pushgateway http://127.0.0.1:9091',
        '',
      ),
  handler: async (args: JobArgs) => {
    let code: number;
    try {
      const spec = await specOrEmitErrors(args.spec);
      if (!spec) return 2;
      let batch: ReturnType<typeof batchOf>;
      try {
        batch = batchOf(spec, args.batch);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const index = jobIndexOf(args, process.env);
      if (index >= batch.count) {
        throw new UsageError(
          `--job-index: ${index} is not allowed; batch ${batch.name} has ${batch.count} jobs (0 to ${batch.count - 1})`,
        );
      }
      const batchStartMs = args.startAt === undefined ? undefined : Date.parse(args.startAt);
      if (batchStartMs !== undefined && !Number.isFinite(batchStartMs)) {
        throw new UsageError(
          `--start-at: ${JSON.stringify(args.startAt)} is not allowed; expected an RFC 3339 instant, e.g. 2026-11-26T09:15:00Z`,
        );
      }
      code = await runJob(
        {
          spec,
          batch,
          index,
          targets: targetsOf(args),
          ...(args.ledgerOut ? { ledgerOut: args.ledgerOut } : {}),
          ...(batchStartMs !== undefined ? { batchStartMs } : {}),
        },
        { clock: systemClock, emit },
      );
    } catch (err) {
      if (err instanceof UsageError || err instanceof SpecFileUnreadableError || err instanceof RangeError) {
        emit({ event: 'error', message: err.message });
        return 2;
      }
      throw err;
    }
    // A library that leaves a handle open (gRPC) must not turn a finished job into a hung one.
    setTimeout(() => process.exit(code), 2000).unref();
    return code;
  },
};

/**
 * `pushpull producer`: runs one producer process (loadgen/producer.ts) for one arm and one process index of
 * a spec's fleet. Started by the local runner and by the operator's pods, rarely by hand. Everything it
 * prints is JSON lines on stdout (ready, armed, phase, progress, load-complete, final, error), so a
 * supervisor can follow it; a bad flag or spec is an error line too, with exit code 2.
 */

import { SpecFileUnreadableError } from '../../api/v1alpha1/load.ts';
import { ARM_NAMES, type ArmName, type ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { UsageError } from '../../errors/usage-error.ts';
import type { HostPort } from '../../loadgen/address.ts';
import { parseHostPort } from '../../loadgen/address.ts';
import { PRODUCER_DEFAULTS, type ProducerOptions, runProducer } from '../../loadgen/producer.ts';
import { systemClock } from '../../schedule/timeline.ts';
import type { Command } from '../command.ts';
import { emit, specOrEmitErrors } from './process-io.ts';

/** The parsed flags, as yargs hands them over. */
export interface ProducerArgs {
  spec: string;
  arm: string;
  processIndex: number;
  metricsListen: string;
  rigListen: string;
  statsd?: string;
  otlpEndpoint?: string;
  startAt?: string;
  ledgerOut?: string;
  tickMs: number;
  maxEventsPerTick: number;
  progressIntervalMs: number;
  lingerSeconds: number;
}

function hostPort(value: string, flag: string, allowZero: boolean): HostPort {
  try {
    return parseHostPort(value, flag, allowZero);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function positiveInt(value: number, flag: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag}: ${value} is not allowed; expected an integer >= ${min}`);
  }
  return value;
}

/** Turns flags and a validated spec into producer options; a UsageError names the flag, value and fix. */
export function producerOptionsFromArgs(args: ProducerArgs, spec: ExperimentSpec): ProducerOptions {
  if (!(ARM_NAMES as readonly string[]).includes(args.arm)) {
    throw new UsageError(
      `--arm: ${JSON.stringify(args.arm)} is not allowed; expected one of ${ARM_NAMES.join(', ')}`,
    );
  }
  const arm = args.arm as ArmName;
  if (!spec.arms[arm]) {
    const present = ARM_NAMES.filter((a) => spec.arms[a]);
    throw new UsageError(`--arm: ${arm} is not an arm of this spec (spec.arms has ${present.join(', ')})`);
  }
  if (arm === 'statsd' && !args.statsd) {
    throw new UsageError(
      '--statsd: required with --arm statsd; expected HOST:PORT of statsd_exporter, e.g. 127.0.0.1:9125',
    );
  }
  if (arm === 'otlp' && !args.otlpEndpoint) {
    throw new UsageError(
      '--otlp-endpoint: required with --arm otlp; expected a URL, e.g. http://127.0.0.1:4317',
    );
  }
  if (args.startAt !== undefined && args.startAt !== 'auto' && !Number.isFinite(Date.parse(args.startAt))) {
    throw new UsageError(
      `--start-at: ${JSON.stringify(args.startAt)} is not allowed; expected an RFC 3339 instant (e.g. 2026-11-26T09:15:00Z) or auto`,
    );
  }
  return {
    spec,
    arm,
    processIndex: positiveInt(args.processIndex, '--process-index', 0),
    metricsListen: hostPort(args.metricsListen, '--metrics-listen', true),
    rigListen: hostPort(args.rigListen, '--rig-listen', true),
    statsd: args.statsd === undefined ? undefined : hostPort(args.statsd, '--statsd', false),
    otlpEndpoint: args.otlpEndpoint,
    startAt: args.startAt,
    ledgerOut: args.ledgerOut,
    tickMs: positiveInt(args.tickMs, '--tick-ms', 1),
    maxEventsPerTick: positiveInt(args.maxEventsPerTick, '--max-events-per-tick', 1),
    progressIntervalMs: positiveInt(args.progressIntervalMs, '--progress-interval-ms', 100),
    rigLimitAfterMs: PRODUCER_DEFAULTS.rigLimitAfterMs,
    lingerSeconds: positiveInt(args.lingerSeconds, '--linger-seconds', 0),
  };
}

export const producerCommand: Command = {
  command: 'producer',
  describe: 'Run one producer process of an experiment (used by the local runner and the operator)',
  builder: (y) =>
    y
      .option('spec', { type: 'string', demandOption: true, describe: 'Experiment spec file (YAML)' })
      .option('arm', {
        type: 'string',
        demandOption: true,
        describe: `Collection arm: ${ARM_NAMES.join(', ')}`,
      })
      .option('process-index', {
        type: 'number',
        default: 0,
        describe: 'Which process of the arm fleet this is (0-based)',
      })
      .option('metrics-listen', {
        type: 'string',
        default: '127.0.0.1:0',
        describe: 'pull: HOST:PORT of the /targets/<id>/metrics server (port 0: any free port)',
      })
      .option('rig-listen', {
        type: 'string',
        default: '127.0.0.1:0',
        describe: 'HOST:PORT of the rig endpoint: GET /ledger, GET /healthz, POST /start',
      })
      .option('statsd', { type: 'string', describe: 'statsd: HOST:PORT of statsd_exporter (UDP)' })
      .option('otlp-endpoint', {
        type: 'string',
        describe: 'otlp: collector URL, e.g. http://127.0.0.1:4317 (grpc)',
      })
      .option('start-at', {
        type: 'string',
        describe:
          'RFC 3339 instant the first phase starts, or auto (warmupSeconds from now); default: spec load.startAt, else wait for POST /start',
      })
      .option('ledger-out', { type: 'string', describe: 'Write the final ledger (JSON) here after SIGTERM' })
      .option('tick-ms', {
        type: 'number',
        default: PRODUCER_DEFAULTS.tickMs,
        describe: 'Generation tick (ms)',
      })
      .option('max-events-per-tick', {
        type: 'number',
        default: PRODUCER_DEFAULTS.maxEventsPerTick,
        describe: 'Cap on events per tick (the process records lag beyond it)',
      })
      .option('progress-interval-ms', {
        type: 'number',
        default: PRODUCER_DEFAULTS.progressIntervalMs,
        describe: 'Interval of progress lines (ms)',
      })
      .option('linger-seconds', {
        type: 'number',
        default: PRODUCER_DEFAULTS.lingerSeconds,
        describe: 'Stop by itself this long after the drain ends if no SIGTERM came',
      })
      .example(
        '$0 producer --spec examples/quick.yaml --arm statsd --statsd 127.0.0.1:9125 --start-at auto --ledger-out out/ledger-statsd-0.json',
        '',
      ),
  handler: async (args: ProducerArgs) => {
    let spec: ExperimentSpec;
    let options: ProducerOptions;
    try {
      const loaded = await specOrEmitErrors(args.spec);
      if (!loaded) return 2;
      spec = loaded;
      options = producerOptionsFromArgs(args, spec);
    } catch (err) {
      if (err instanceof UsageError || err instanceof SpecFileUnreadableError) {
        emit({ event: 'error', message: err.message });
        return 2;
      }
      throw err;
    }
    const code = await runProducer(options, { clock: systemClock, emit });
    // A library that leaves a handle open must not turn a finished producer into a hung one.
    setTimeout(() => process.exit(code), 3000).unref();
    return code;
  },
};

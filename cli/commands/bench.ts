/**
 * `pushpull bench emit`: per-event cost (median, p99 over batches, spread over repeats) of every arm and
 * mode next to a bare baseline and the client library alone, the rig's overhead, and the highest sustained
 * event rate of one producer process with what its sink saw (bench/emit.ts). Prints tables, or the
 * document with --json; progress goes to stderr. Goals are reported, never enforced: exit 0 unless a case
 * failed to run (1) or a flag is bad (2).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchCase, selectCases, splitList } from '../../bench/cases.ts';
import { runBenchEmit } from '../../bench/emit.ts';
import { renderBench } from '../../bench/render.ts';
import { UsageError } from '../../errors/usage-error.ts';
import type { Command } from '../command.ts';

interface Args {
  action: string;
  json: boolean;
  arms?: string[];
  modes?: string[];
  seconds: number;
  repeats: number;
  warmSeconds: number;
  batchEvents: number;
  maxBatches: number;
  perEventMs: number;
  spec?: string;
  producers?: number;
  cpuProf?: string;
}

const DEFAULT_SPEC = 'examples/market-open.yaml';
const DEFAULT_SPEC_PATH = fileURLToPath(new URL(`../../${DEFAULT_SPEC}`, import.meta.url));

function number(value: number, flag: string, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `${flag}: ${value} is not allowed; expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`,
    );
  }
  return value;
}

/** The command line as typed, quoted where a shell would need it. */
export function commandLine(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
  return ['pushpull', ...argv.map(quote)].join(' ');
}

function cases(args: Args): BenchCase[] {
  try {
    return selectCases(splitList(args.arms), splitList(args.modes));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const benchCommand: Command = {
  command: 'bench <action>',
  describe:
    'Benchmark the producer: per-event cost of each arm and mode, rig overhead, events/s of one process',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['emit'], describe: 'emit: the producer side' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result document as JSON' })
      .option('arms', {
        type: 'string',
        array: true,
        describe: 'Arms to run: pull,statsd,otlp (default all)',
      })
      .option('modes', {
        type: 'string',
        array: true,
        describe: 'Modes to run: scrape,perEvent,buffered,aggregated,grpc,http (default all)',
      })
      .option('seconds', {
        type: 'number',
        default: 5,
        describe: 'Measured window of each throughput run (s)',
      })
      .option('repeats', { type: 'number', default: 3, describe: 'Fresh worker processes per case' })
      .option('warm-seconds', {
        type: 'number',
        default: 1,
        describe: 'Unthrottled run before the throughput window (s)',
      })
      .option('batch-events', { type: 'number', default: 1000, describe: 'Events per timed batch' })
      .option('max-batches', {
        type: 'number',
        default: 300,
        describe: 'Timed batches per path per repeat, at most',
      })
      .option('per-event-ms', {
        type: 'number',
        default: 3000,
        describe: 'Time budget of the timed batches per repeat (ms)',
      })
      .option('spec', {
        type: 'string',
        describe: `Spec whose process shape is benchmarked (default ${DEFAULT_SPEC})`,
      })
      .option('producers', {
        type: 'number',
        describe: "Virtual producers per process (default: the spec's producersPerProcess)",
      })
      .option('cpu-prof', {
        type: 'string',
        describe: 'Write a V8 CPU profile of every worker into this folder',
      })
      .example('$0 bench emit', 'Every arm and mode, 3 repeats')
      .example('$0 bench emit --arms statsd --modes perEvent,buffered --json', 'Two statsd modes, as JSON')
      .epilogue(
        'Exit status: 0 when every case ran (goals met or not: this is a benchmark, not a test), 1 when a case failed, 2 on a bad flag.',
      ),
  handler: async (args: Args) => {
    const chosen = cases(args);
    const repeats = number(args.repeats, '--repeats', 1, 50, true);
    const seconds = number(args.seconds, '--seconds', 0.2, 600, false);
    const warmSeconds = number(args.warmSeconds, '--warm-seconds', 0, 60, false);
    const batchEvents = number(args.batchEvents, '--batch-events', 1, 1_000_000, true);
    const maxBatches = number(args.maxBatches, '--max-batches', 1, 100_000, true);
    const perEventMs = number(args.perEventMs, '--per-event-ms', 1, 600_000, true);
    const producers =
      args.producers === undefined ? undefined : number(args.producers, '--producers', 1, 2000, true);
    if (args.cpuProf !== undefined) {
      try {
        mkdirSync(args.cpuProf, { recursive: true });
      } catch (err) {
        throw new UsageError(`--cpu-prof: cannot create ${args.cpuProf}: ${(err as Error).message}`);
      }
    }
    let doc: Awaited<ReturnType<typeof runBenchEmit>>;
    try {
      doc = await runBenchEmit(
        {
          cases: chosen,
          repeats,
          seconds,
          warmSeconds,
          perEvent: {
            batchEvents,
            warmupRounds: Math.max(1, Math.min(50, Math.ceil(maxBatches / 5))),
            maxRounds: maxBatches,
            maxMs: perEventMs,
          },
          baseSpecPath: args.spec ?? DEFAULT_SPEC_PATH,
          producers,
          cpuProfDir: args.cpuProf,
          command: commandLine(process.argv.slice(2)),
        },
        { progress: (line) => process.stderr.write(`${line}\n`) },
      );
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    if (args.spec === undefined) doc.settings.baseSpec = DEFAULT_SPEC;
    process.stdout.write(
      args.json ? `${JSON.stringify(doc, null, 2)}\n` : `${renderBench(doc).join('\n')}\n`,
    );
    return doc.failures.length > 0 ? 1 : 0;
  },
};

/**
 * `pushpull simulate [SPEC] [--producers N] [--calibrate R...] [--against R...] [--seed-table]
 * [--json | --html FILE]`: the fleet at sizes no machine here runs (simulate/model.ts), calibrated from
 * measured reports and checked against them. The collectors' sizing is not in the spec yet, so it comes
 * from flags here, with defaults the output states. Exit 0; 1 when an `--against` figure falls outside
 * its tolerance; 2 on bad input.
 */
import { writeFile } from 'node:fs/promises';
import { loadSpecFile, SpecFileUnreadableError } from '../../api/v1alpha1/load.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { openReportSource } from '../../report/source.ts';
import { against } from '../../simulate/against.ts';
import { calibrate } from '../../simulate/calibration.ts';
import { simulate } from '../../simulate/model.ts';
import { renderSimulationHtml } from '../../simulate/render-html.ts';
import { renderSimulationText } from '../../simulate/render-text.ts';
import { type ReportRun, reportRun } from '../../simulate/report-run.ts';
import { seedTable } from '../../simulate/seed-table.ts';
import { DEFAULT_SIZING, defaultCalibration, type Sizing } from '../../simulate/sizing.ts';
import { type SimulationSummary, summarize, summarizeSeedTable } from '../../simulate/summary.ts';
import type { Command } from '../command.ts';
import type { CommandIo } from './report.ts';

export interface SimulateArgs {
  spec?: string;
  producers?: number;
  startAt?: string;
  calibrate?: string[];
  against?: string[];
  seedTable?: boolean;
  json?: boolean;
  html?: string;
  rmemMax?: number;
  prometheusCores?: number;
  prometheusFqdn?: string;
  externalLabel?: string[];
  otelcolCores?: number;
  otelcolMemoryLimitMib?: number;
  otelcolSpikeLimitMib?: number;
  otelcolBatchTimeoutMs?: number;
}

const MAX_PRODUCERS = 100_000;

/** A positive number flag, or the default; a UsageError names the flag. */
function positive(flag: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `${flag}: ${String(value)} is not allowed; expected a ${integer ? 'whole ' : ''}number > 0`,
    );
  }
  return value;
}

/** The sizing the flags ask for. */
export function sizingFromArgs(args: SimulateArgs): Sizing {
  const d = DEFAULT_SIZING;
  const externalLabels: Record<string, string> = {};
  for (const kv of args.externalLabel ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(kv);
    if (!m)
      throw new UsageError(`--external-label: ${JSON.stringify(kv)} is not allowed; expected NAME=VALUE`);
    externalLabels[m[1]!] = m[2]!;
  }
  const limit = positive(
    '--otelcol-memory-limit-mib',
    args.otelcolMemoryLimitMib,
    d.otelcolMemoryLimitMiB,
    true,
  );
  const spike = args.otelcolSpikeLimitMib ?? Math.floor(limit / 4);
  if (!Number.isInteger(spike) || spike < 0 || spike >= limit) {
    throw new UsageError(
      `--otelcol-spike-limit-mib: ${spike} is not allowed; expected a whole number from 0 to below ${limit}`,
    );
  }
  return {
    rmemMaxBytes: positive('--rmem-max', args.rmemMax, d.rmemMaxBytes, true),
    prometheusCores: positive('--prometheus-cores', args.prometheusCores, d.prometheusCores),
    prometheusFqdn: args.prometheusFqdn ?? d.prometheusFqdn,
    externalLabels,
    otelcolCores: positive('--otelcol-cores', args.otelcolCores, d.otelcolCores),
    otelcolMemoryLimitMiB: limit,
    otelcolSpikeLimitMiB: spike,
    otelcolBatchTimeoutMs: positive(
      '--otelcol-batch-timeout-ms',
      args.otelcolBatchTimeoutMs,
      d.otelcolBatchTimeoutMs,
      true,
    ),
    producerTickMs: d.producerTickMs,
  };
}

async function loadRuns(paths: readonly string[]): Promise<ReportRun[]> {
  const runs: ReportRun[] = [];
  for (const p of paths) {
    const source = await openReportSource(p);
    runs.push(reportRun(await source.load(), source.label));
  }
  return runs;
}

async function loadSpec(path: string) {
  let loaded: Awaited<ReturnType<typeof loadSpecFile>>;
  try {
    loaded = await loadSpecFile(path);
  } catch (err) {
    throw new UsageError(err instanceof SpecFileUnreadableError ? err.message : String(err));
  }
  if (!loaded.ok) {
    throw new UsageError(
      `${path} is not a valid experiment:\n${loaded.errors.map(formatSpecError).join('\n')}`,
    );
  }
  return loaded.document;
}

function startAtOf(
  flag: string | undefined,
  specStartAt: string | undefined,
): { ms: number; source: string } {
  const text = flag ?? specStartAt;
  // Without one, startAt sits on every interval grid (the epoch), stated in the output.
  if (text === undefined) return { ms: 0, source: 'assumed on every interval grid: the spec has no startAt' };
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--start-at: ${JSON.stringify(text)} is not allowed; expected an RFC 3339 instant`);
  }
  return { ms, source: flag !== undefined ? '--start-at' : "the spec's load.startAt" };
}

/** The command's work; returns the exit code. */
export async function simulateMain(args: SimulateArgs, io: CommandIo): Promise<number> {
  try {
    if (!args.spec && (args.against ?? []).length === 0 && !args.seedTable) {
      throw new UsageError(
        'name a spec, --against a report, or --seed-table, e.g. `pushpull simulate examples/market-open.yaml --producers 10000`',
      );
    }
    const sizing = sizingFromArgs(args);
    const calibration =
      (args.calibrate ?? []).length > 0
        ? calibrate(await loadRuns(args.calibrate ?? []), sizing)
        : defaultCalibration();
    const againstRuns = await loadRuns(args.against ?? []);
    let summary: SimulationSummary | undefined;
    if (args.spec) {
      const doc = await loadSpec(args.spec);
      const producers = positive('--producers', args.producers, doc.spec.fleet.producers, true);
      if (producers > MAX_PRODUCERS)
        throw new UsageError(
          `--producers: ${producers} is not allowed; expected at most ${MAX_PRODUCERS.toLocaleString('en-US')}`,
        );
      const startAt = startAtOf(args.startAt, doc.spec.load.startAt);
      const input = {
        spec: doc.spec,
        producers,
        startAtMs: startAt.ms,
        sizing,
        calibration,
      };
      summary = summarize(doc.metadata.name, input, simulate(input), startAt.source);
    }
    const compared = againstRuns.map((run) => against(run, sizing, calibration));
    if (!summary && againstRuns[0] && compared[0]) {
      const run = againstRuns[0];
      const input = {
        spec: run.spec,
        producers: run.producers,
        startAtMs: run.startAtMs,
        sizing,
        calibration,
      };
      summary = summarize(
        run.report.experiment.name,
        input,
        compared[0].result,
        `the load start of ${run.label}`,
      );
    }
    const table = args.seedTable ? summarizeSeedTable(seedTable()) : undefined;
    if (summary) {
      if (compared.length > 0)
        summary.against = compared.map((c) => ({
          run: c.run,
          comparisons: c.comparisons,
          firstFailure: c.firstFailure,
        }));
      if (table) summary.seedTable = table;
    }
    if (args.html) {
      if (!summary) throw new UsageError('--html: needs a spec or --against to draw');
      await writeFile(args.html, renderSimulationHtml(summary));
    }
    if (args.json) io.stdout(`${JSON.stringify(summary ?? { seedTable: table }, null, 2)}\n`);
    else if (summary) io.stdout(renderSimulationText(summary));
    else if (table) io.stdout(renderSimulationText({ producers: 0, seedTable: table } as SimulationSummary));
    const outside = compared.some(
      (c) => c.comparisons.some((x) => x.within === false) || !c.firstFailure.same,
    );
    return outside ? 1 : 0;
  } catch (err) {
    // The model's RangeErrors name the spec field or value it cannot take.
    if (err instanceof UsageError || err instanceof RangeError) {
      io.stderr(`pushpull simulate: ${err.message}\n`);
      return err instanceof UsageError ? err.exitCode : 2;
    }
    throw err;
  }
}

export const simulateCommand: Command = {
  command: 'simulate [spec]',
  describe:
    'model the fleet at sizes no machine here runs, calibrated from and checked against measured reports',
  builder: (y) =>
    y
      .positional('spec', { type: 'string', describe: 'the experiment spec (YAML) to model' })
      .option('producers', {
        type: 'number',
        describe: "producers per arm to model (default: the spec's fleet.producers; at most 100,000)",
      })
      .option('start-at', {
        type: 'string',
        describe: "wall-clock startAt (default: the spec's, else on every interval grid)",
      })
      .option('calibrate', {
        type: 'string',
        array: true,
        describe: 'report.json files (or run directories) to calibrate rates and costs from',
      })
      .option('against', {
        type: 'string',
        array: true,
        describe: 'report.json files to predict and compare (predicted vs measured, with the error)',
      })
      .option('seed-table', {
        type: 'boolean',
        describe:
          "rerun the seed article's burst table (1,400 producers, 10 s flushes, with and without jitter)",
      })
      .option('json', { type: 'boolean', describe: 'print the whole result as JSON' })
      .option('html', { type: 'string', describe: 'write an HTML page with charts to this file' })
      .option('rmem-max', {
        type: 'number',
        describe: `net.core.rmem_max in bytes (default ${DEFAULT_SIZING.rmemMaxBytes})`,
      })
      .option('prometheus-cores', {
        type: 'number',
        describe: `cores of the subject Prometheus (default ${DEFAULT_SIZING.prometheusCores})`,
      })
      .option('prometheus-fqdn', {
        type: 'string',
        describe: `FQDN of the subject Prometheus's host: its scrape offset seed (default ${DEFAULT_SIZING.prometheusFqdn})`,
      })
      .option('external-label', {
        type: 'string',
        array: true,
        describe: "the subject Prometheus's external labels, NAME=VALUE",
      })
      .option('otelcol-cores', {
        type: 'number',
        describe: `cores of otelcol (default ${DEFAULT_SIZING.otelcolCores})`,
      })
      .option('otelcol-memory-limit-mib', {
        type: 'number',
        describe: `otelcol memory_limiter limit_mib (default ${DEFAULT_SIZING.otelcolMemoryLimitMiB})`,
      })
      .option('otelcol-spike-limit-mib', {
        type: 'number',
        describe: 'otelcol memory_limiter spike_limit_mib (default a quarter of the limit)',
      })
      .option('otelcol-batch-timeout-ms', {
        type: 'number',
        describe: `otelcol batch timeout (default ${DEFAULT_SIZING.otelcolBatchTimeoutMs})`,
      }),
  handler: (args: SimulateArgs) =>
    simulateMain(args, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }),
};

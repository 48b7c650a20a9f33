/**
 * `pushpull compare A B [--json] [thresholds]`: what changed from run A (the baseline) to run B, each
 * a report.json or a run output directory. `pushpull compare DIR`, a directory of run folders: the
 * trend over them (report/trend.ts, the same as `pushpull history`), each run against the one before.
 * Prints a table (or JSON); exit 1 when B (or the newest run) breaches a threshold (for nightly jobs),
 * 2 on bad input (a missing file, another schemaVersion), else 0.
 */

import { UsageError } from '../../errors/usage-error.ts';
import { type CompareThresholds, compareReports, renderCompareTable } from '../../report/compare.ts';
import { isRunDirectory, loadRunDirectory } from '../../report/run-directory.ts';
import { openReportSource, type ReportSourceResolver } from '../../report/source.ts';
import { buildTrend, renderTrendTable } from '../../report/trend.ts';
import type { Command } from '../command.ts';
import type { CommandIo } from './report.ts';

export interface CompareArgs {
  a?: string;
  b?: string;
  json?: boolean;
  maxLossRatioIncrease?: number;
  maxP99Increase?: number;
  maxUpZeroIncrease?: number;
  maxOtlpLossIncrease?: number;
  maxFirstFailureEarlier?: number;
  failOnVerdictChange?: boolean;
  failOnRigFault?: boolean;
}

const NUMERIC: Array<[keyof CompareArgs, keyof CompareThresholds, string, string]> = [
  [
    'maxLossRatioIncrease',
    'maxLossRatioIncrease',
    '--max-loss-ratio-increase',
    '0.01 for one percentage point',
  ],
  ['maxP99Increase', 'maxP99Increase', '--max-p99-increase', '0.2 for +20%'],
  ['maxUpZeroIncrease', 'maxUpZeroIncrease', '--max-up-zero-increase', '10 samples'],
  ['maxOtlpLossIncrease', 'maxOtlpLossIncrease', '--max-otlp-loss-increase', '1000 points'],
  ['maxFirstFailureEarlier', 'maxFirstFailureEarlierSeconds', '--max-first-failure-earlier', '5 seconds'],
];

/** The thresholds the flags ask for; a UsageError names a bad flag value. */
export function thresholdsFromArgs(args: CompareArgs): CompareThresholds {
  const t: CompareThresholds = {};
  for (const [arg, key, flag, example] of NUMERIC) {
    const v = args[arg];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      const shown = typeof v === 'number' && Number.isNaN(v) ? 'not a number' : `${String(v)} is not allowed`;
      throw new UsageError(`${flag}: ${shown}; expected a number ≥ 0 (e.g. ${example})`);
    }
    (t as Record<string, number>)[key] = v;
  }
  if (args.failOnVerdictChange) t.failOnVerdictChange = true;
  if (args.failOnRigFault) t.failOnRigFault = true;
  return t;
}

/** The command's work; returns the exit code. */
export async function compareMain(
  args: CompareArgs,
  io: CommandIo,
  resolvers?: readonly ReportSourceResolver[],
): Promise<number> {
  try {
    const thresholds = thresholdsFromArgs(args);
    if (args.a && !args.b && (await isRunDirectory(args.a))) {
      const trend = buildTrend(await loadRunDirectory(args.a), thresholds);
      io.stdout(
        args.json
          ? `${JSON.stringify({ dir: args.a, thresholds, ...trend }, null, 2)}\n`
          : renderTrendTable(trend),
      );
      return trend.latestBreaches.length > 0 ? 1 : 0;
    }
    if (!args.a || !args.b) {
      throw new UsageError(
        'name two reports, e.g. `pushpull compare out/last-night out/tonight`, or a directory of run folders for the trend',
      );
    }
    const sa = await openReportSource(args.a, resolvers);
    const sb = await openReportSource(args.b, resolvers);
    const [a, b] = [await sa.load(), await sb.load()];
    const result = compareReports(a, b, thresholds);
    if (args.json) {
      io.stdout(`${JSON.stringify({ a: sa.label, b: sb.label, thresholds, ...result }, null, 2)}\n`);
    } else {
      io.stdout(renderCompareTable(result, { a: sa.label, b: sb.label }));
    }
    return result.breaches.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`pushpull compare: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

export const compareCommand: Command = {
  command: 'compare [a] [b]',
  describe:
    'Show what changed between two runs, or the trend over a directory of runs; exit 1 past the given thresholds (for nightly jobs)',
  builder: (y) =>
    y
      .positional('a', { type: 'string', describe: 'Baseline: a report.json or a run output directory' })
      .positional('b', {
        type: 'string',
        describe:
          'New run: a report.json or a run output directory (omit it, with A a directory of runs, for the trend)',
      })
      .option('json', { type: 'boolean', describe: 'Print the comparison as JSON' })
      .option('max-loss-ratio-increase', {
        type: 'number',
        describe: 'Fail if StatsD loss ratio rises more (0.01 = 1 point)',
      })
      .option('max-p99-increase', {
        type: 'number',
        describe: 'Fail if pull scrape p99 rises more, relative (0.2 = +20%)',
      })
      .option('max-up-zero-increase', {
        type: 'number',
        describe: 'Fail if pull up == 0 samples rise by more',
      })
      .option('max-otlp-loss-increase', {
        type: 'number',
        describe: 'Fail if OTLP refused + failed points rise by more',
      })
      .option('max-first-failure-earlier', {
        type: 'number',
        describe: 'Fail if the first failure comes this many seconds earlier (or appears)',
      })
      .option('fail-on-verdict-change', { type: 'boolean', describe: 'Fail if the verdict answer changes' })
      .option('fail-on-rig-fault', {
        type: 'boolean',
        describe: 'Fail if B has a rig fault (open books, rig-limited, dead producer)',
      })
      .example(
        '$0 compare out/last-night out/tonight --max-loss-ratio-increase 0.01 --fail-on-verdict-change',
        'A nightly gate',
      )
      .example(
        '$0 compare out/nightly --max-loss-ratio-increase 0.01',
        'The trend over every run folder in out/nightly',
      )
      .epilogue('Exit status: 0 no threshold breached, 1 a threshold breached, 2 bad input.'),
  handler: async (args: CompareArgs) =>
    compareMain(args, {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
    }),
};

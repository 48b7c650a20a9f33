/**
 * `pushpull report PATH [--format md|html|json] [--out FILE]`: re-renders a run's report.md and
 * report.html from its report.json (PATH is the file or the run output directory). With --format and
 * no --out it prints to stdout; with --out it writes that file (format from --format or the file's
 * extension). Exit 0 on success, 2 on bad input. Sources are pluggable (./report-source.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../errors/usage-error.ts';
import { kubernetesReportSource } from '../../operator/report-source.ts';
import {
  formatFromFileName,
  REPORT_FILE_NAMES,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
} from '../../report/render.ts';
import { fileReportSource, openReportSource, type ReportSourceResolver } from '../../report/source.ts';
import type { Command } from '../command.ts';
import { recoveredReportSource } from './recovered-report-source.ts';

export interface ReportArgs {
  path?: string;
  format?: string;
  out?: string;
  namespace?: string;
  kubeconfig?: string;
}

/** Where the command writes: injected so tests need no real stdout. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

function checkFormat(format: string | undefined): ReportFormat | undefined {
  if (format === undefined) return undefined;
  if ((REPORT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new UsageError(`--format: "${format}" is not allowed; expected one of ${REPORT_FORMATS.join(', ')}`);
}

/** The command's work; returns the exit code. */
export async function reportMain(
  args: ReportArgs,
  io: CommandIo = processIo,
  resolvers?: readonly ReportSourceResolver[],
): Promise<number> {
  try {
    if (!args.path) {
      throw new UsageError('name a report.json or a run output directory, e.g. `pushpull report out/quick`');
    }
    const format = checkFormat(args.format);
    const source = await openReportSource(args.path, resolvers);
    const report = await source.load();
    if (args.out) {
      const outFormat = format ?? formatFromFileName(args.out);
      if (!outFormat) {
        throw new UsageError(
          `--out: cannot tell the format of "${args.out}" from its extension; add --format ${REPORT_FORMATS.join('|')}`,
        );
      }
      await writeOut(args.out, renderReport(report, outFormat));
      io.stdout(`wrote ${args.out}\n`);
      return 0;
    }
    if (format) {
      io.stdout(renderReport(report, format));
      return 0;
    }
    if (source.defaultOutDir === null) {
      throw new UsageError(
        `${source.label}: has no directory to write into; add --out FILE or --format to print`,
      );
    }
    for (const f of ['md', 'html'] as const) {
      const file = join(source.defaultOutDir, REPORT_FILE_NAMES[f]);
      await writeOut(file, renderReport(report, f));
      io.stdout(`wrote ${file}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`pushpull report: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (err) {
    throw new UsageError(`${file}: cannot write it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

export const reportCommand: Command = {
  command: 'report [path]',
  describe: "Re-render a run's report.md and report.html from its report.json",
  builder: (y) =>
    y
      .positional('path', { type: 'string', describe: 'A report.json or a run output directory' })
      .option('format', {
        type: 'string',
        describe: `Print (or write with --out) one format: ${REPORT_FORMATS.join(', ')}`,
      })
      .option('out', {
        type: 'string',
        describe: 'Write to this file instead (format from --format or the extension)',
      })
      .option('namespace', {
        type: 'string',
        describe: 'Kubernetes: the namespace of experiment NAME (default: the kubeconfig context’s)',
      })
      .option('kubeconfig', { type: 'string', describe: 'Kubernetes: kubeconfig file for experiment NAME' })
      .example('$0 report out/quick', 'Rewrite out/quick/report.md and report.html')
      .example('$0 report out/quick --format md', 'Print the Markdown report')
      .example('$0 report out/quick/report.json --out /tmp/quick.html', 'Write the HTML page elsewhere')
      .example(
        '$0 report quick --namespace rehearsal --format md',
        'Print the report of experiment quick from its ConfigMap',
      )
      .epilogue(
        'A run directory without report.json (the run was killed) gets its report rebuilt from its TSDBs and ledger polls, with outcome crashed.\nExit status: 0 done, 2 bad input (no such file, not a report.json, another schemaVersion).',
      ),
  handler: async (args: ReportArgs) =>
    reportMain(args, processIo, [
      recoveredReportSource((line) => process.stderr.write(`${line}\n`)),
      fileReportSource,
      kubernetesReportSource({
        ...(args.namespace ? { namespace: args.namespace } : {}),
        ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      }),
    ]),
};

/**
 * Where `pushpull report` and `pushpull compare` get a report.json from. Today: a report.json file or
 * a run output directory holding one. Sources are tried in order and the first that recognises the
 * argument wins, so the Kubernetes source (`pushpull report NAME`, reading the report ConfigMap) is
 * one more resolver appended to REPORT_SOURCE_RESOLVERS.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors/usage-error.ts';
import { parseReport, ReportFormatError } from './parse-report.ts';
import type { Report } from './types.ts';

/** A report that can be loaded, and where its re-rendered files go by default. */
export interface ReportSource {
  /** How messages name it: the file path, or e.g. "ppx default/quick". */
  label: string;
  /** The directory report.md/report.html are written to when no --out is given; null: none. */
  defaultOutDir: string | null;
  /** Loads and checks the report; bad input throws a UsageError (exit 2). */
  load(): Promise<Report>;
}

/** Recognises `arg` as its kind of source (or returns null to let the next resolver try). */
export type ReportSourceResolver = (arg: string) => Promise<ReportSource | null>;

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/** A report.json file, or a run output directory with report.json in it. */
export const fileReportSource: ReportSourceResolver = async (arg) => {
  const st = await statOrNull(arg);
  if (!st) return null;
  let file = arg;
  let dir = join(arg, '..');
  if (st.isDirectory()) {
    file = join(arg, 'report.json');
    dir = arg;
    if (!(await statOrNull(file))?.isFile()) {
      throw new UsageError(`${arg}: this directory has no report.json (a run output directory has one)`);
    }
  }
  return {
    label: file,
    defaultOutDir: dir,
    load: async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(
          `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        );
      }
      try {
        return parseReport(text, file);
      } catch (err) {
        if (err instanceof ReportFormatError) throw new UsageError(err.message);
        throw err;
      }
    },
  };
};

/** Tried in order. The operator engineer appends the Kubernetes ConfigMap source here. */
export const REPORT_SOURCE_RESOLVERS: ReportSourceResolver[] = [fileReportSource];

/** The source `arg` names; a UsageError (exit 2) when no resolver recognises it. */
export async function openReportSource(
  arg: string,
  resolvers: readonly ReportSourceResolver[] = REPORT_SOURCE_RESOLVERS,
): Promise<ReportSource> {
  for (const resolve of resolvers) {
    const source = await resolve(arg);
    if (source) return source;
  }
  throw new UsageError(`${arg}: no such file or directory (name a report.json or a run output directory)`);
}

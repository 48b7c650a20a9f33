/**
 * A directory of run folders (what a local nightly loop leaves behind: out/<name>-<time>/report.json
 * for each night), read for `pushpull compare DIR`'s trend. Reads files only; report/source.ts loads
 * each report the way `pushpull compare A B` does.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors/usage-error.ts';
import { fileReportSource } from './source.ts';
import type { Report } from './types.ts';

/** Whether `dir` holds run folders rather than being one (it has no report.json of its own). */
export async function isRunDirectory(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return (
      !entries.some((e) => e.isFile() && e.name === 'report.json') && entries.some((e) => e.isDirectory())
    );
  } catch {
    return false;
  }
}

/** Every run folder's report in `dir`, labelled by folder name; folders without a report.json are skipped. */
export async function loadRunDirectory(dir: string): Promise<Array<{ label: string; report: Report }>> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  const out: Array<{ label: string; report: Report }> = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    let source: Awaited<ReturnType<typeof fileReportSource>>;
    try {
      source = await fileReportSource(path);
    } catch (err) {
      if (err instanceof UsageError) continue; // not a run folder
      throw err;
    }
    if (source) out.push({ label: e.name, report: await source.load() });
  }
  if (out.length === 0) throw new UsageError(`${dir}: no run folder with a report.json in it`);
  return out;
}

/**
 * `pushpull report DIR` on the output directory of a local run that was killed before it wrote
 * report.json: rebuilds the report from what the run kept (local/recover.ts), then serves it like any
 * report.json. Tried before the plain file source, which would only say the directory has no report.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors/usage-error.ts';
import { isRecoverableRun, recoverRun } from '../../local/recover.ts';
import type { ReportSourceResolver } from '../../report/source.ts';

/** A resolver for run directories with a journal and no report. */
export function recoveredReportSource(log: (line: string) => void): ReportSourceResolver {
  return async (arg) => {
    const dir = resolve(arg);
    if (!isRecoverableRun(dir)) return null;
    return {
      label: `${arg} (rebuilt: the run wrote no report.json)`,
      defaultOutDir: dir,
      async load() {
        log(`${arg}: the run wrote no report.json; rebuilding it from its TSDBs and ledger polls`);
        try {
          return await recoverRun({ dir, log });
        } catch (err) {
          throw new UsageError(`${arg}: cannot rebuild its report: ${(err as Error).message}`);
        }
      },
    };
  };
}

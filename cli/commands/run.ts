/**
 * `pushpull run [SPEC] [--out DIR]`: the local runtime, pushpull's main job on one machine. Validates
 * the spec (the embedded default, examples/quick.yaml, when none is named), runs the rehearsal against
 * the real collectors on loopback and prints where the report is. Exit 0 when a report was written for a
 * completed run whose expectations (spec.expect) all passed, 1 when the run was interrupted or failed (a
 * partial report may still exist), 2 on bad input, 3 (EXIT_EXPECTATIONS_FAILED) when the run completed
 * but an expectation failed or its figure is missing.
 */
import { relative } from 'node:path';
import { EMBEDDED_DEFAULT_SPEC_PATH } from '../../api/v1alpha1/embedded-default.ts';
import { loadSpecFile, SpecFileUnreadableError } from '../../api/v1alpha1/load.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { CapacityRefusedError, checkCapacity, estimateNeeds } from '../../capacity/estimate.ts';
import { readHostCapacity } from '../../capacity/host.ts';
import { explainSystemError } from '../../errors/system-error.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { decideNetwork, type NetworkLayoutChoice } from '../../local/network-run.ts';
import { runRehearsal } from '../../local/rehearsal.ts';
import { describeExpectation, tallyExpectations } from '../../report/expectations.ts';
import { verdictScope } from '../../report/verdict-scope.ts';
import { planOfSpec } from '../../sweep/plan.ts';
import { ToolMissingError } from '../../tools/locate.ts';
import type { Command } from '../command.ts';
import { prepareOutputDir } from '../output-dir.ts';
import { sweepDocument } from './sweep.ts';
import { describeExperiment } from './validate.ts';

interface Args {
  network?: NetworkLayoutChoice;
  spec?: string;
  out?: string;
}

/** Exit status of a completed run with an expectation that failed or could not be checked. */
export const EXIT_EXPECTATIONS_FAILED = 3;

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

export const runCommand: Command = {
  command: 'run [spec]',
  describe: 'Run a rehearsal locally: real collectors on loopback, the producers, the burst, the report',
  builder: (y) =>
    y
      .positional('spec', {
        type: 'string',
        describe: 'Experiment spec (YAML); default: the embedded default, examples/quick.yaml',
      })
      .option('out', { type: 'string', describe: 'Output directory (default: out/<name>-<UTC time>)' })
      .option('network', {
        choices: ['auto', 'namespaces', 'loopback'] as const,
        default: 'auto' as const,
        describe:
          "Layout: namespaces puts each arm's producers in their own network namespace (root); auto does so when the spec has networkFaults",
      })
      .example('$0 run', 'Rehearse the embedded default (about a minute of load)')
      .example('$0 run examples/small-buffer.yaml --out out/small', 'A run meant to show kernel UDP drops')
      .epilogue(
        'The output directory holds report.json (the source), report.md, report.html, the collector logs and the raw ledgers.\nExit status: 0 completed (and every expectation passed), 1 interrupted or failed, 2 bad input or missing tools, 3 completed but an expectation failed or its figure is missing.',
      ),
  handler: async (args: Args) => {
    const specFile = args.spec ?? EMBEDDED_DEFAULT_SPEC_PATH;
    let loaded: Awaited<ReturnType<typeof loadSpecFile>>;
    try {
      loaded = await loadSpecFile(specFile);
    } catch (err) {
      throw new UsageError(err instanceof SpecFileUnreadableError ? err.message : String(err));
    }
    if (!loaded.ok) {
      for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
      throw new UsageError(`${specFile} is not a valid experiment; nothing was started`);
    }
    const doc = loaded.document;
    if (doc.spec.sweep) {
      // A spec with a sweep section is a sweep: its steps, each one rehearsal, and a capacity report.
      process.stderr.write('spec.sweep is set: sweeping the load as `pushpull sweep` does\n');
      const { plan, maxSeconds } = planOfSpec(doc.spec.sweep);
      return sweepDocument(doc, plan, maxSeconds, args.out);
    }
    // A spec this machine cannot hold is refused before anything exists, even the output directory.
    const capacity = checkCapacity(estimateNeeds(doc.spec), readHostCapacity());
    if (!capacity.fits) throw new CapacityRefusedError(capacity);
    // So is a network fault this kernel cannot make (delay without sch_netem).
    await decideNetwork(doc.spec, args.network ?? 'auto');
    const outDir = args.out ?? `out/${doc.metadata.name}-${stamp(new Date())}`;
    prepareOutputDir(outDir);
    const log = (line: string) =>
      process.stderr.write(`[pushpull ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
    log(`rehearsing ${relative(process.cwd(), specFile) || specFile}: ${describeExperiment(doc)}`);
    try {
      const result = await runRehearsal({
        document: doc,
        specFile,
        outDir,
        log,
        network: args.network ?? 'auto',
      });
      const r = result.report;
      process.stdout.write(`\n${r.verdict.sentence}\n${verdictScope(r)}\n\n`);
      process.stdout.write(`report: ${relative(process.cwd(), result.files.markdown)}\n`);
      process.stdout.write(`        ${relative(process.cwd(), result.files.html)}\n`);
      process.stdout.write(`        ${relative(process.cwd(), result.files.json)}\n`);
      if (r.expectations) {
        process.stdout.write('\nexpectations:\n');
        for (const e of r.expectations) process.stdout.write(`  ${describeExpectation(e)}\n`);
      }
      if (r.run.outcome !== 'completed') {
        process.stderr.write(`the run was ${r.run.outcome}; the report says what is missing\n`);
        return 1;
      }
      if (r.expectations && !tallyExpectations(r.expectations).allPassed) {
        process.stderr.write('an expectation did not pass; the report lists each with its measured value\n');
        return EXIT_EXPECTATIONS_FAILED;
      }
      return 0;
    } catch (err) {
      if (err instanceof ToolMissingError) throw new UsageError(err.message);
      if (err instanceof UsageError) throw err;
      const sentence = explainSystemError(err, { path: outDir, isRoot: process.getuid?.() === 0 });
      process.stderr.write(
        `pushpull run: ${sentence ?? (err instanceof Error ? err.message : String(err))}\n`,
      );
      return 1;
    }
  },
};

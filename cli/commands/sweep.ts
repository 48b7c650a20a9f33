/**
 * `pushpull sweep SPEC`: the breaking point. Repeats the local rehearsal at growing load (geometric steps,
 * bounded in steps and time) with the collectors' sizing fixed, until each arm has failed or the rig or
 * the machine became the limit; prints the capacity report's one-sentence answer and where it is. Exit 0
 * when a capacity report was written, 2 on bad input. The plan is the spec's `sweep` section, each
 * option given here overriding its field; `pushpull run` of a spec with a `sweep` section runs this too.
 */
import { relative } from 'node:path';
import { loadSpecFile, SpecFileUnreadableError } from '../../api/v1alpha1/load.ts';
import type { ExperimentDocument } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { runSweep } from '../../local/sweep.ts';
import {
  DEFAULT_MAX_SECONDS,
  DEFAULT_PLAN,
  planOfSpec,
  type SweepPlan,
  stepMultipliers,
} from '../../sweep/plan.ts';
import { ToolMissingError } from '../../tools/locate.ts';
import type { Command } from '../command.ts';

interface Args {
  spec: string;
  out?: string;
  steps?: number;
  factor?: number;
  start?: number;
  maxMinutes?: number;
}

/** Sweeps `doc` with `plan` (checked here) and prints the answer; the exit status. */
export async function sweepDocument(
  doc: ExperimentDocument,
  plan: SweepPlan,
  maxSeconds: number,
  out: string | undefined,
): Promise<number> {
  try {
    stepMultipliers(plan);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!(maxSeconds > 0))
    throw new UsageError(`--max-minutes: ${maxSeconds / 60} is not allowed; expected a number above 0`);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const outDir = out ?? `out/sweep-${doc.metadata.name}-${stamp}`;
  const log = (line: string) =>
    process.stderr.write(`[pushpull sweep ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  try {
    const { capacity, files } = await runSweep({ document: doc, outDir, plan, maxSeconds, log });
    process.stdout.write(
      `\n${capacity.sentence}\n\ncapacity: ${relative(process.cwd(), files.markdown)}\n          ${relative(process.cwd(), files.json)}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ToolMissingError) throw new UsageError(err.message);
    if (err instanceof UsageError) throw err;
    process.stderr.write(`pushpull sweep: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export const sweepCommand: Command = {
  command: 'sweep <spec>',
  describe: 'Raise the load step by step (collectors sized as the spec says) until each arm breaks',
  builder: (y) =>
    y
      .positional('spec', { type: 'string', describe: 'Experiment spec (YAML)' })
      .option('steps', {
        type: 'number',
        describe: `At most this many steps (1-20; default spec.sweep.maxSteps, else ${DEFAULT_PLAN.maxSteps})`,
      })
      .option('factor', {
        type: 'number',
        describe: `Load multiplier from one step to the next (> 1; default spec.sweep.factor, else ${DEFAULT_PLAN.factor})`,
      })
      .option('start', {
        type: 'number',
        describe: `Multiplier of the first step (1: the spec's load; default spec.sweep.start, else ${DEFAULT_PLAN.start})`,
      })
      .option('max-minutes', {
        type: 'number',
        describe: `Wall-clock budget: a step that would end later is not started (default spec.sweep.maxSeconds, else ${DEFAULT_MAX_SECONDS / 60})`,
      })
      .option('out', { type: 'string', describe: 'Output directory (default: out/sweep-<name>-<UTC time>)' })
      .example('$0 sweep examples/quick.yaml --steps 3', '1×, 2× and 4× the quick burst, about 5 minutes')
      .epilogue(
        'The output directory holds capacity.json (the source), capacity.md and one folder per step with its full report.',
      ),
  handler: async (args: Args) => {
    let loaded: Awaited<ReturnType<typeof loadSpecFile>>;
    try {
      loaded = await loadSpecFile(args.spec);
    } catch (err) {
      throw new UsageError(err instanceof SpecFileUnreadableError ? err.message : String(err));
    }
    if (!loaded.ok) {
      for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
      throw new UsageError(`${args.spec} is not a valid experiment; nothing was started`);
    }
    const doc = loaded.document;
    const fromSpec = doc.spec.sweep
      ? planOfSpec(doc.spec.sweep)
      : { plan: DEFAULT_PLAN, maxSeconds: DEFAULT_MAX_SECONDS };
    const plan = {
      start: args.start ?? fromSpec.plan.start,
      factor: args.factor ?? fromSpec.plan.factor,
      maxSteps: args.steps ?? fromSpec.plan.maxSteps,
    };
    const maxSeconds = args.maxMinutes !== undefined ? args.maxMinutes * 60 : fromSpec.maxSeconds;
    return sweepDocument(doc, plan, maxSeconds, args.out);
  },
};

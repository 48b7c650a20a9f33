/**
 * `pushpull validate FILE...`: checks experiment spec files against the schema and cross-field rules
 * (the same checks the CRD makes at `kubectl apply`). Prints one `✓` summary line per valid file and
 * every error of an invalid one, `file:line:column: path: message`, on stdout. Exit 0 when all are
 * valid, 1 when any is invalid, 2 when a file cannot be read (or on a usage error).
 */
import {
  enabledArms,
  processesPerArm,
  scaledProducers,
  scheduleSeconds,
} from '../../api/v1alpha1/derived.ts';
import { loadSpecFile, SpecFileUnreadableError } from '../../api/v1alpha1/load.ts';
import { SCHEDULE_KIND, type ScheduleDocument } from '../../api/v1alpha1/schedule-schema.ts';
import { type ExperimentDocument, KIND } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { validateAnyDocument } from '../../api/v1alpha1/validate-schedule.ts';
import { checkCapacity, estimateNeeds, formatCapacity } from '../../capacity/estimate.ts';
import { readHostCapacity } from '../../capacity/host.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { decideNetwork } from '../../local/network-run.ts';
import type { Command } from '../command.ts';

interface Args {
  files: string[];
  machine?: boolean;
}

/** Seconds as a person reads them: "70 s", "3 min 45 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds * 10) / 10} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const min = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  return s > 0 ? `${min} min ${s} s` : `${min} min`;
}

/** The `✓` line's parenthesis: name, arms, producers after scale, total duration. */
export function describeExperiment(document: ExperimentDocument): string {
  const { spec } = document;
  const producers = scaledProducers(spec);
  const processes = processesPerArm(spec);
  const duration = formatDuration(scheduleSeconds(spec));
  const from = spec.load.startAt === undefined ? '' : ` from ${spec.load.startAt}`;
  return [
    document.metadata.name,
    `arms ${enabledArms(spec).join('+')}`,
    `${producers} producer${producers === 1 ? '' : 's'} per arm in ${processes} process${processes === 1 ? '' : 'es'}`,
    `${duration} in total${from}`,
  ].join(', ');
}

/** The `✓` line's parenthesis for either kind: a schedule says when and describes its template. */
function describeDocument(document: ExperimentDocument | ScheduleDocument): string {
  if (document.kind !== SCHEDULE_KIND) return describeExperiment(document as ExperimentDocument);
  const s = (document as ScheduleDocument).spec;
  const template = describeExperiment({
    ...(document as ScheduleDocument),
    kind: KIND,
    spec: s.template.spec,
  });
  return `schedule "${s.schedule}" in ${s.timeZone}, keeps ${s.historyLimit}; each run: ${template}`;
}

export const validateCommand: Command = {
  command: 'validate [files..]',
  describe: 'Check experiment and schedule files (the same rules as the CRDs at kubectl apply)',
  builder: (y) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        describe: 'Spec files (YAML, PushPullExperiment or PushPullSchedule)',
      })
      .option('machine', {
        type: 'boolean',
        default: false,
        describe:
          'Also check that this machine can run each spec locally (processes, memory, CPU at the peak, from measured costs)',
      })
      .example('$0 validate examples/*.yaml', 'Check every example')
      .example(
        '$0 validate --machine examples/quick.yaml',
        'Check it and whether `pushpull run` would fit here',
      )
      .epilogue(
        'Exit status: 0 all valid (and, with --machine, all fit), 1 any invalid or too big for this machine, 2 a file could not be read or none was named.',
      ),
  handler: async (args: Args) => {
    // Checked here rather than by yargs' `<files..>`: yargs reports that failure only after the
    // command has resolved, too late for the exit code.
    if (!args.files || args.files.length === 0) {
      process.stderr.write(
        'pushpull validate: name at least one spec file, e.g. `pushpull validate examples/quick.yaml`\n',
      );
      return 2;
    }
    let exitCode = 0;
    for (const file of args.files) {
      try {
        const result = await loadSpecFile(file, validateAnyDocument);
        if (result.ok) {
          process.stdout.write(`✓ ${file} (${describeDocument(result.document)})\n`);
          if (args.machine && result.document.kind === KIND) {
            const spec = (result.document as ExperimentDocument).spec;
            const check = checkCapacity(estimateNeeds(spec), readHostCapacity());
            process.stdout.write(`  ${check.fits ? 'fits this machine' : 'does NOT fit this machine'}\n`);
            for (const line of formatCapacity(check)) process.stdout.write(`  ${line}\n`);
            if (!check.fits) exitCode = Math.max(exitCode, 1);
            // The network faults, against what this kernel can make (delay needs sch_netem).
            try {
              const net = await decideNetwork(spec, 'auto');
              if ((spec.networkFaults?.length ?? 0) > 0) process.stdout.write(`  network: ${net.reason}\n`);
            } catch (err) {
              if (!(err instanceof UsageError)) throw err;
              process.stdout.write(
                `  network faults refused on this machine: ${err.message.replace(/; nothing was started$/, '')}\n`,
              );
              exitCode = Math.max(exitCode, 1);
            }
          }
          continue;
        }
        for (const error of result.errors) process.stdout.write(`${formatSpecError(error)}\n`);
        exitCode = Math.max(exitCode, 1);
      } catch (err) {
        const message = err instanceof SpecFileUnreadableError ? err.message : `${file}: ${String(err)}`;
        process.stderr.write(`pushpull validate: ${message}\n`);
        exitCode = 2;
      }
    }
    return exitCode;
  },
};

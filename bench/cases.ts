/**
 * What `pushpull bench emit` measures: one case per arm and mode (pull; statsd perEvent, buffered,
 * aggregated; otlp grpc, http), and the selection from `--arms` and `--modes` with errors that name the
 * flag, the bad value and what is allowed. Aggregated StatsD runs with flush jitter on only: jitter moves
 * flush instants, not the per-event path. Pure; called by cli/commands/bench.ts.
 */
import { ARM_NAMES, type ArmName } from '../api/v1alpha1/schema.ts';

/** One arm in one mode. */
export interface BenchCase {
  arm: ArmName;
  /** statsd: perEvent | buffered | aggregated; otlp: grpc | http; pull: scrape. */
  mode: string;
}

/** Every case, in the order the table shows them. */
export const ALL_CASES: readonly BenchCase[] = [
  { arm: 'pull', mode: 'scrape' },
  { arm: 'statsd', mode: 'perEvent' },
  { arm: 'statsd', mode: 'buffered' },
  { arm: 'statsd', mode: 'aggregated' },
  { arm: 'otlp', mode: 'grpc' },
  { arm: 'otlp', mode: 'http' },
];

/** `statsd/perEvent`: how a case is named in tables, progress lines and profile file names. */
export function caseId(c: BenchCase): string {
  return `${c.arm}/${c.mode}`;
}

/** Splits comma-separated flag values (`--arms pull,statsd` or `--arms pull --arms statsd`). */
export function splitList(values: readonly string[] | string | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = (Array.isArray(values) ? values : [values])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return list;
}

/**
 * The cases to run: every case whose arm is in `arms` (all when undefined) and whose mode is in `modes`
 * (all when undefined). Throws a RangeError naming the flag, the value and what is allowed, also when
 * the two flags leave nothing to run.
 */
export function selectCases(arms?: readonly string[], modes?: readonly string[]): BenchCase[] {
  const allModes = [...new Set(ALL_CASES.map((c) => c.mode))];
  for (const arm of arms ?? []) {
    if (!(ARM_NAMES as readonly string[]).includes(arm)) {
      throw new RangeError(
        `--arms: ${JSON.stringify(arm)} is not allowed; expected a comma-separated list of ${ARM_NAMES.join(', ')}`,
      );
    }
  }
  for (const mode of modes ?? []) {
    if (!allModes.includes(mode)) {
      throw new RangeError(
        `--modes: ${JSON.stringify(mode)} is not allowed; expected a comma-separated list of ${allModes.join(', ')}`,
      );
    }
  }
  if (arms?.length === 0) throw new RangeError('--arms: empty; expected e.g. pull,statsd,otlp');
  if (modes?.length === 0) throw new RangeError('--modes: empty; expected e.g. perEvent,buffered');
  const chosen = ALL_CASES.filter(
    (c) => (arms === undefined || arms.includes(c.arm)) && (modes === undefined || modes.includes(c.mode)),
  );
  if (chosen.length === 0) {
    const armModes = (arms ?? ARM_NAMES)
      .map(
        (a) =>
          `${a}: ${ALL_CASES.filter((c) => c.arm === a)
            .map((c) => c.mode)
            .join(', ')}`,
      )
      .join('; ');
    throw new RangeError(
      `--modes: ${modes?.join(',')} leaves nothing to run for --arms ${(arms ?? ARM_NAMES).join(',')}; the modes of those arms are ${armModes}`,
    );
  }
  return chosen;
}

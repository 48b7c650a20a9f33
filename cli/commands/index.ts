/**
 * The `pushpull` commands, in the order `--help` shows them. Each is loaded only when it runs: the
 * operator, the OpenTelemetry SDK and the report renderers each cost memory, and a producer process
 * or `pushpull validate` should not pay for what it does not use. `--help` loads them all.
 */
import type { Command } from '../command.ts';

export interface CommandEntry {
  /** The first word of the command, as typed. */
  name: string;
  load: () => Promise<Command>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'run', load: async () => (await import('./run.ts')).runCommand },
  { name: 'sweep', load: async () => (await import('./sweep.ts')).sweepCommand },
  { name: 'validate', load: async () => (await import('./validate.ts')).validateCommand },
  { name: 'report', load: async () => (await import('./report.ts')).reportCommand },
  { name: 'compare', load: async () => (await import('./compare.ts')).compareCommand },
  { name: 'simulate', load: async () => (await import('./simulate.ts')).simulateCommand },
  { name: 'history', load: async () => (await import('./history.ts')).historyCommand },
  { name: 'bench', load: async () => (await import('./bench.ts')).benchCommand },
  { name: 'producer', load: async () => (await import('./producer.ts')).producerCommand },
  { name: 'job', load: async () => (await import('./job.ts')).jobCommand },
  { name: 'operator', load: async () => (await import('./operator.ts')).operatorCommand },
  { name: 'dev-cluster', load: async () => (await import('./dev-cluster.ts')).devClusterCommand },
  { name: 'tools', load: async () => (await import('./tools.ts')).toolsCommand },
  { name: 'udp-counters', load: async () => (await import('./udp-counters.ts')).udpCountersCommand },
];

/** The commands needed to run `argv`: the one it names, or all of them (help, a typo to suggest for). */
export async function loadCommands(argv: readonly string[]): Promise<Command[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  const named = commandEntries.filter((e) => e.name === first);
  return Promise.all((named.length > 0 ? named : commandEntries).map((e) => e.load()));
}

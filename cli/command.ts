/** The shape every cli/commands/*.ts module exports: a yargs command whose handler returns an exit code. */
import type { Argv } from 'yargs';

export interface Command {
  command: string | string[];
  describe: string;
  // biome-ignore lint/suspicious/noExplicitAny: yargs builders are typed per command.
  builder?: (y: Argv) => Argv<any>;
  // biome-ignore lint/suspicious/noExplicitAny: yargs hands each handler its own parsed arguments.
  handler: (args: any) => Promise<number>;
}

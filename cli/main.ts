/**
 * The `pushpull` command line: one yargs program, one module per command under cli/commands/.
 * Commands return an exit code; errors meant for the user are `UsageError`s and print without a stack.
 */
import yargs from 'yargs';
import { commands } from './commands/index.ts';
import { UsageError } from './usage-error.ts';

/** Runs the CLI with `argv` (without node and script) and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv)
    .scriptName('pushpull')
    .usage(
      'pushpull: rehearse a market-open metrics burst and measure pull (Prometheus) against push (StatsD, OTLP).\n\nUsage: $0 <command> [options]',
    )
    .strict()
    .demandCommand(1, 'Name a command; `pushpull --help` lists them.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .epilogue('Docs: README.md and docs/ in the repository.')
    .fail((msg, err) => {
      if (err && !(err instanceof UsageError)) throw err;
      process.stderr.write(`pushpull: ${err ? err.message : msg}\nRun with --help for usage.\n`);
      exitCode = 2;
    });
  for (const command of commands) {
    cli.command({
      ...command,
      handler: async (args: Record<string, unknown>) => {
        exitCode = await command.handler(args);
      },
    });
  }
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`pushpull: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  return exitCode;
}

/**
 * The `pushpull` command line: one yargs program, one module per command under cli/commands/.
 * Commands return an exit code. An error the user can fix (bad flags, a `UsageError` from a handler)
 * prints one line without a stack trace and exits 2, or the error's own code.
 */
import yargs from 'yargs';
import { explainSystemError } from '../errors/system-error.ts';
import { UsageError } from '../errors/usage-error.ts';
import { loadCommands } from './commands/index.ts';

/** Runs the CLI with `argv` (without node and script) and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv)
    .scriptName('pushpull')
    .usage(
      'pushpull: rehearse a market-open metrics burst and measure pull (Prometheus) against push (StatsD, OTLP).\n\nUsage: $0 <command> [options]',
    )
    .strict()
    .exitProcess(false)
    .demandCommand(1, 'Name a command; `pushpull --help` lists them.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .epilogue('Docs: README.md and docs/ in the repository.')
    .fail((msg, err) => {
      // yargs' own validation (unknown flag, missing argument) and handler errors both come here:
      // rethrow so the one catch below decides how to print them.
      const first = argv.find((a) => !a.startsWith('-'));
      const text = msg?.startsWith('Did you mean') ? `unknown command '${first}'. ${msg}` : msg;
      throw err ?? new UsageError(`${text}\nRun with --help for usage.`);
    });
  for (const command of await loadCommands(argv)) {
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
    const sentence = explainSystemError(err, { isRoot: process.getuid?.() === 0 });
    if (sentence) {
      process.stderr.write(`pushpull: ${sentence}\n`);
      return 1;
    }
    throw err;
  }
  return exitCode;
}

/**
 * The second guard against orphans, beside the reaper: each child is exec'd through util-linux
 * `setpriv --pdeathsig TERM`, so the kernel signals it the moment we die (PR_SET_PDEATHSIG), even if
 * the reaper was killed too. TERM rather than KILL lets Prometheus flush its TSDB; the reaper follows
 * with SIGKILL for anything that lingers. The signal fires when the spawning *thread* ends, so children
 * must be spawned from the main thread (as the supervisor does). Where setpriv is missing the reaper
 * alone guards. Used by process/supervisor.ts.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The command line that runs `command args` with a parent-death signal. */
export interface WrappedCommand {
  command: string;
  args: string[];
}

/** Where to look for a command: PATH (for a bare name) and the directory a relative path starts in. */
export interface FindOptions {
  /** Default `process.env.PATH`. */
  path?: string | undefined;
  /** Default this process's working directory. */
  cwd?: string | undefined;
}

/** An executable's absolute path, found like execvp does; undefined when there is none. */
export function findExecutable(command: string, options: FindOptions = {}): string | undefined {
  const pathVar = options.path ?? process.env.PATH ?? '';
  const candidates = command.includes('/')
    ? [resolve(options.cwd ?? process.cwd(), command)]
    : pathVar
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

const SETPRIV = findExecutable('setpriv');

/** `setpriv --pdeathsig TERM command args...`, or the command as is where setpriv is missing. */
export function withParentDeathSignal(command: string, args: readonly string[]): WrappedCommand {
  return SETPRIV
    ? { command: SETPRIV, args: ['--pdeathsig', 'TERM', '--', command, ...args] }
    : { command, args: [...args] };
}

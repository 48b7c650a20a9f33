/**
 * Runs the real `pushpull` CLI in a child process for the command tests (cli/commands/*.itest.ts), with
 * this test's own Node (the project's Node 24), bounded by a timeout after which the child is killed.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** What one CLI run printed and how it exited (-1: killed or not started). */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/pushpull.js ...args` from the repository root. */
export function runPushpull(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/pushpull.js', ...args],
      { cwd: root, timeout: 30_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

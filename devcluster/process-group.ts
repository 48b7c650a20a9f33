/**
 * Runs each dev-cluster component in its own process group with its output in a log file, and stops
 * it by signalling the whole group (TERM, then KILL after a grace period). A reaper (a tiny `sh`
 * reading a pipe from this process) kills every registered group when this process dies without
 * calling stop, e.g. a test runner killed by a timeout: no orphaned etcd or apiserver survives.
 * Called by devcluster/cluster.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ComponentSpec } from './components.ts';
import { DevClusterError } from './errors.ts';

/** How a component process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started component. `exit` settles when its main process has exited (and been reaped). */
export interface RunningComponent {
  name: string;
  pid: number;
  logPath: string;
  exit: Promise<ExitInfo>;
  /** How it ended, once it has; undefined while it runs. */
  exited(): ExitInfo | undefined;
}

/** Pure: "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(info: ExitInfo): string {
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}

/** The last `lines` lines of a log file (reads at most its last 64 KiB); '' when it is missing. */
export async function tailFile(path: string, lines = 30): Promise<string> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    const { size } = await fh.stat();
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    return buf.toString('utf8').split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '';
  } finally {
    await fh?.close();
  }
}

/**
 * Starts `spec` detached (a new session, so its pid is its process-group id) with stdout and stderr
 * appended to `logPath`. Resolves once the program has been exec'd; rejects when it cannot be.
 */
export function startComponent(
  spec: Omit<ComponentSpec, 'name'> & { name: string },
  logPath: string,
): Promise<RunningComponent> {
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...spec.env },
    });
  } finally {
    closeSync(fd);
  }
  let info: ExitInfo | undefined;
  const exit = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      info = { code, signal };
      resolve(info);
    });
  });
  // Without unref, a caller that forgets stop() hangs forever; with it, the reaper cleans up at exit.
  child.unref();
  return new Promise((resolve, reject) => {
    child.once('error', (err) =>
      reject(new DevClusterError(`could not start ${spec.name} (${spec.command}): ${err.message}`)),
    );
    child.once('spawn', () =>
      resolve({ name: spec.name, pid: child.pid!, logPath, exit, exited: () => info }),
    );
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Stops a component: SIGTERM to its process group, SIGKILL after `graceMs`, then waits (bounded)
 * for the main process to be reaped. A final SIGKILL to the group catches any child it left behind.
 */
export async function stopComponent(c: RunningComponent, graceMs = 5_000): Promise<ExitInfo> {
  if (!c.exited()) {
    signalGroup(c.pid, 'SIGTERM');
    if ((await within(c.exit, graceMs)) === undefined) signalGroup(c.pid, 'SIGKILL');
  }
  const info = await within(c.exit, 10_000);
  signalGroup(c.pid, 'SIGKILL');
  if (info === undefined) throw new DevClusterError(`${c.name} (pid ${c.pid}) did not exit after SIGKILL`);
  return info;
}

/** Kills registered process groups if this process goes away before `dispose()`. */
export interface Reaper {
  watch(pid: number): void;
  /** Ends the watch without killing anything (the groups have been stopped in order). */
  dispose(): void;
}

// Collects pgids line by line until stdin closes (this process exited or died), then kills them all.
const REAPER_SCRIPT =
  'pgids=; while read -r p; do pgids="$pgids $p"; done; for p in $pgids; do kill -9 -"$p" 2>/dev/null; done';

/**
 * Starts `sh -c script` in its own process group (so a Ctrl-C to ours does not hit it first) reading a
 * pipe from this process: the script sees end of input when this process exits or dies. The real
 * node's crash teardown uses it too (devcluster/real-node/start.ts).
 */
export function spawnOnDeath(script: string): { write(line: string): void; dispose(): void } {
  const child = spawn('/bin/sh', ['-c', script], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => {});
  child.stdin!.on('error', () => {});
  child.unref();
  // A live pipe keeps the event loop alive; the reaper must never keep a finished test process running.
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    write: (line) => child.stdin!.write(`${line}\n`),
    dispose: () => child.kill('SIGKILL'),
  };
}

/** Starts the reaper. */
export function startReaper(): Reaper {
  const child = spawnOnDeath(REAPER_SCRIPT);
  return { watch: (pid) => child.write(String(pid)), dispose: () => child.dispose() };
}

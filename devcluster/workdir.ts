/**
 * The dev cluster's work directory: claimed with a state file (`.pushpull-devcluster`, JSON: who runs
 * it, its components' pids) so that a second `up` in the same folder refuses to start, `down` can find
 * the running cluster, leftovers of a killed run are cleaned, and stop never deletes a folder the
 * cluster did not create. Called by devcluster/cluster.ts and cli/commands/dev-cluster.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevClusterError } from './errors.ts';

/** The state file's name; its presence marks a folder as a dev-cluster folder. */
export const STATE_FILE = '.pushpull-devcluster';

/** What the state file records. */
export interface ClusterState {
  /** The process that started the cluster and owns its components (a test runner, `dev-cluster up`). */
  ownerPid: number;
  startedAt: string;
  server?: string;
  kubeconfigPath?: string;
  components: { name: string; pid: number }[];
}

/** Whether a process with this pid exists (it may be someone else's after pid reuse: see cmdlineOf). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, '' when it is gone (Linux /proc). */
export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Pure: which recorded component pids are still ours. Every component's command line names a path
 * inside the work dir, which tells a leftover etcd from an unrelated process that reused the pid.
 */
export function leftoverPids(state: ClusterState, dir: string, cmdline: (pid: number) => string): number[] {
  return state.components.filter((c) => cmdline(c.pid).includes(dir)).map((c) => c.pid);
}

/** Reads the state file of `dir`; undefined when there is none (or it is unreadable). */
export async function readState(dir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/**
 * Writes the state file of `dir` atomically (a temp file renamed over it), so a reader never sees a
 * half-written file; callers serialise their writes (cluster.ts chains them).
 */
export async function writeState(dir: string, state: ClusterState): Promise<void> {
  const tmp = join(dir, `${STATE_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, join(dir, STATE_FILE));
}

/** Whether the state's owner still runs (and looks like a Node.js process, guarding against pid reuse). */
export function ownerRunning(state: ClusterState): boolean {
  return state.ownerPid !== process.pid && isAlive(state.ownerPid) && /node/.test(cmdlineOf(state.ownerPid));
}

/**
 * Teardown scripts parts of a cluster write before they start (the real node's: processes, mounts,
 * cgroups, iptables, bridge); run by killLeftovers when present, before anything is deleted.
 */
export const TEARDOWN_SCRIPTS = ['real-node/teardown.sh'] as const;

/** SIGKILLs the process groups of a dead owner's components that are still running, then runs the teardowns. */
export function killLeftovers(state: ClusterState, dir: string): number[] {
  const pids = leftoverPids(state, dir, cmdlineOf);
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
  for (const script of TEARDOWN_SCRIPTS) {
    const path = join(dir, script);
    if (existsSync(path)) execFileSync('/bin/sh', [path], { stdio: 'ignore', timeout: 120_000 });
  }
  return pids;
}

/**
 * Claims a work directory: a fresh temporary one when `dir` is undefined; else `dir` itself, which
 * must be missing, empty, or a dev-cluster folder whose owner is gone (its leftovers are killed and
 * its contents wiped). Throws `DevClusterError` when another cluster runs there or the folder holds
 * something else.
 */
export async function claimDir(dir: string | undefined): Promise<string> {
  if (dir === undefined) return mkdtemp(join(tmpdir(), 'pushpull-devcluster-'));
  const abs = resolve(dir);
  let entries: string[] = [];
  try {
    entries = await readdir(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DevClusterError(`cannot use ${abs} for the dev cluster: ${(err as Error).message}`);
    }
  }
  if (entries.length > 0) {
    const state = await readState(abs);
    if (state === undefined) {
      throw new DevClusterError(
        `refusing to use ${abs} for the dev cluster: it is not empty and has no ${STATE_FILE} file (pick an empty or new folder)`,
      );
    }
    if (ownerRunning(state)) {
      throw new DevClusterError(
        `a dev cluster already runs in ${abs} (owner pid ${state.ownerPid}): stop it with \`pushpull dev-cluster down --dir ${abs}\``,
      );
    }
    killLeftovers(state, abs);
    await Promise.all(entries.map((e) => rm(join(abs, e), { recursive: true, force: true })));
  }
  await mkdir(abs, { recursive: true, mode: 0o700 });
  return abs;
}

/** Deletes a dev-cluster folder, and only one: a folder without the state file is left alone. */
export async function removeClusterDir(dir: string): Promise<void> {
  if ((await readState(dir)) === undefined) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    if (entries.length > 0) return;
  }
  await rm(dir, { recursive: true, force: true });
}

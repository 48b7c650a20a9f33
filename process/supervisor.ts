/**
 * The one process supervisor of the rig: the local runtime's collectors and producers
 * (local/collectors.ts, local/producer-fleet.ts, `pushpull run`) and the dev cluster's control plane
 * (devcluster/cluster.ts) start, watch and stop their children through it, so a single `stopAll()`
 * leaves nothing behind.
 *
 * No orphans, whatever happens to us: each child leads its own process group and is signalled as a
 * group (grandchildren too); a reaper (process/reaper.ts) kills every group if we die, even by SIGKILL;
 * each child also gets a parent-death signal (process/parent-death.ts); a process 'exit' hook SIGKILLs
 * what is left on a crash. Stopping at any stage: `stopping` is an AbortSignal, aborted by `stopAll()`,
 * `requestStop()` or SIGINT/SIGTERM, which every start and ready wait honours, so a start in flight
 * stops its child and rejects with `StartAbortedError`, and later starts are refused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { ChildStartError, ChildStopError, StartAbortedError, StopRequest } from './errors.ts';
import type { ExitInfo } from './exit.ts';
import { LineFeed } from './line-feed.ts';
import { findExecutable, withParentDeathSignal } from './parent-death.ts';
import { NotReadyError, type ReadyCheck, waitUntilReady } from './ready.ts';
import { type Reaper, startReaper } from './reaper.ts';

export { ChildStartError, ChildStopError, StartAbortedError, StopRequest } from './errors.ts';
export type { ExitInfo } from './exit.ts';
export type { ReadyCheck } from './ready.ts';

/** What to start. */
export interface StartSpec {
  /** A short name used in errors and progress, e.g. `prometheus-subject`, `producer-3`. */
  name: string;
  command: string;
  args: readonly string[];
  /** Added to (and overriding) this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** stdout and stderr are appended here; kept in the output directory as evidence. */
  logFile: string;
  /** One check, or several that must all pass (in order, within the one timeout). Unset: ready once exec'd. */
  ready?: ReadyCheck | readonly ReadyCheck[];
  /** Default 30 000 ms, for all checks together. */
  readyTimeoutMs?: number;
  /**
   * Called with each stdout line (without the newline), for the whole life of the child. Setting it (or a
   * `stdout-json` ready check) makes stdout a pipe read by us; otherwise stdout goes straight to the log.
   */
  onStdoutLine?: (line: string) => void;
}

/** A started, ready child. */
export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** For a `stdout-json` ready check: the line that matched. */
  readonly readyLine: Record<string, unknown> | undefined;
  /** Resolves when the child has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /** How it ended, once it has; undefined while it runs. */
  exitInfo(): ExitInfo | undefined;
}

/** What to do when this process gets SIGINT or SIGTERM while children run. `stopping` aborts in every case but 'none'. */
export type SignalPolicy =
  /** Stop every child, then exit with 128 + signal number (the default). */
  | 'stop-and-exit'
  /** Install nothing: the caller handles signals and must call `stopAll()` (or `requestStop()`). */
  | 'none'
  /** Install handlers that call this; the caller then stops children (e.g. after writing a partial report). */
  | ((signal: NodeJS.Signals) => void);

/** Options of a Supervisor. */
export interface SupervisorOptions {
  /** Time between SIGTERM and SIGKILL when stopping. Default 5 000 ms. */
  graceMs?: number;
  /** A ready child exited without being asked to. */
  onUnexpectedExit?: (child: ChildHandle, exit: ExitInfo) => void;
  signals?: SignalPolicy;
  /**
   * Whether a running child keeps this process's event loop alive (default true). The dev cluster says
   * false: a test that forgets `stop()` must still end, and the exit hook and reaper then clean up.
   */
  holdEventLoop?: boolean;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
/** After the last SIGKILL, how long a main process may take to be reaped before stop gives up. */
const AFTER_KILL_MS = 10_000;
/** How long stop waits for the rest of a SIGKILLed group (grandchildren) to be reaped. */
const AFTER_GROUP_KILL_MS = 2_000;

interface Entry {
  handle: ChildHandle;
  proc: ChildProcess;
  pid: number;
  exit?: ExitInfo;
  stopping: boolean;
  ready: boolean;
  /** Its process group has been SIGKILLed after the main process exited: nothing of it is left. */
  groupGone: boolean;
  stopPromise?: Promise<ExitInfo>;
  log?: WriteStream;
  readyLine?: Record<string, unknown>;
}

/** Starts children and guarantees they are stopped. One per run; not reusable after `stopAll()`. */
export class Supervisor {
  readonly #graceMs: number;
  readonly #onUnexpectedExit: SupervisorOptions['onUnexpectedExit'];
  readonly #signals: SignalPolicy;
  readonly #holdEventLoop: boolean;
  readonly #entries: Entry[] = [];
  readonly #stop = new AbortController();
  #reaper: Reaper | undefined;
  #hooksInstalled = false;
  #stoppingAll = false;
  readonly #exitHook = () => this.#killAllNow();
  readonly #signalHook = (signal: NodeJS.Signals) => this.#onSignal(signal);

  /**
   * Aborted (with a `StopRequest` reason) once the run is stopping: by `stopAll()`, `requestStop()` or
   * a SIGINT/SIGTERM under a policy other than 'none'. Pass it to waits of your own between starts.
   */
  readonly stopping: AbortSignal = this.#stop.signal;

  constructor(options: SupervisorOptions = {}) {
    this.#graceMs = options.graceMs ?? 5000;
    this.#onUnexpectedExit = options.onUnexpectedExit;
    this.#signals = options.signals ?? 'stop-and-exit';
    this.#holdEventLoop = options.holdEventLoop ?? true;
  }

  /** The children started so far (running or not). */
  children(): ChildHandle[] {
    return this.#entries.map((e) => e.handle);
  }

  /**
   * Marks the run as stopping: starts in flight stop their child and reject with `StartAbortedError`,
   * later starts are refused. Running children keep running until `stop()`/`stopAll()`. Idempotent:
   * the first reason stands.
   */
  requestStop(reason: string): void {
    if (!this.#stop.signal.aborted) this.#stop.abort(new StopRequest(reason));
  }

  /**
   * Starts a child and resolves once it is ready (or once exec'd when `spec.ready` is unset). On a
   * failed start (no such program, early exit, readiness timeout) the child is killed and
   * `ChildStartError` thrown; when the run is stopping, `StartAbortedError`.
   */
  async start(spec: StartSpec): Promise<ChildHandle> {
    if (this.#stop.signal.aborted) throw new StartAbortedError(spec.name, false, this.#stopReason());
    const what = `(${spec.command} ${spec.args.join(' ')})`;
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const executable = findExecutable(spec.command, { path: spec.env?.PATH, cwd: spec.cwd });
    if (!executable) {
      throw new ChildStartError(
        spec.name,
        `could not be started: spawn ${spec.command} ENOENT (no executable file) ${what}`,
        spec.logFile,
      );
    }
    const checks: readonly ReadyCheck[] =
      spec.ready === undefined ? [] : Array.isArray(spec.ready) ? spec.ready : [spec.ready as ReadyCheck];
    const pipeStdout = checks.some((c) => c.kind === 'stdout-json') || spec.onStdoutLine !== undefined;
    const wrapped = withParentDeathSignal(executable, spec.args);
    const logFd = openSync(spec.logFile, 'a');
    let proc: ChildProcess;
    try {
      proc = spawn(wrapped.command, wrapped.args, {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        // A new session: the child leads its own process group (pgid = pid).
        detached: true,
        stdio: ['ignore', pipeStdout ? 'pipe' : logFd, logFd],
      });
    } finally {
      // The child holds its own copy of the descriptor.
      closeSync(logFd);
    }
    const entry = this.#track(spec, proc);
    if (!this.#holdEventLoop) {
      proc.unref();
      (proc.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    }

    const tee = pipeStdout ? teeStdout(proc, spec.logFile, spec.onStdoutLine) : undefined;
    entry.log = tee?.log;
    const lines = tee?.lines;

    let readyLine: Record<string, unknown> | undefined;
    try {
      await spawned(proc);
      readyLine = await waitUntilReady(checks, {
        timeoutMs: spec.readyTimeoutMs ?? 30_000,
        signal: this.#stop.signal,
        exited: entry.handle.exited,
        exitInfo: () => entry.exit,
        ...(lines ? { lines } : {}),
      });
      // A stop requested while the last check passed still wins: the caller must not go on.
      this.#stop.signal.throwIfAborted();
    } catch (err) {
      const diedOnItsOwn = err instanceof NotReadyError && entry.exit !== undefined && !entry.stopping;
      await this.#stopEntry(entry).catch(() => {});
      if (this.#stop.signal.aborted && !diedOnItsOwn) {
        throw new StartAbortedError(spec.name, true, this.#stopReason());
      }
      const reason = err instanceof Error ? err.message : String(err);
      throw new ChildStartError(spec.name, `${reason} ${what}`, spec.logFile);
    }
    lines?.forget();
    entry.readyLine = readyLine;
    entry.ready = true;
    return entry.handle;
  }

  /**
   * Sends `signal` to one child's process group now (a game day's SIGKILL), without the stop sequence;
   * its exit is then reported like any other.
   */
  kill(child: ChildHandle, signal: NodeJS.Signals): void {
    if (!this.#entries.some((e) => e.handle === child))
      throw new Error(`${child.name} was not started by this supervisor`);
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone: its exit is on its way.
    }
  }

  /** Stops one child: SIGTERM to its group, SIGKILL after the grace period; resolves when it is gone. */
  stop(child: ChildHandle): Promise<ExitInfo> {
    const entry = this.#entries.find((e) => e.handle === child);
    if (!entry) throw new Error(`${child.name} was not started by this supervisor`);
    return this.#stopEntry(entry);
  }

  /**
   * Marks the run as stopping, stops every child (in reverse start order, concurrently) and waits
   * until all are gone; then ends the reaper. Throws `ChildStopError` naming any that would not die.
   */
  async stopAll(): Promise<void> {
    this.#stoppingAll = true;
    this.requestStop('every process is being stopped');
    const results = await Promise.allSettled([...this.#entries].reverse().map((e) => this.#stopEntry(e)));
    this.#removeHooks();
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === 0) {
      await this.#reaper?.dispose();
      return;
    }
    // Leave the reaper watching what would not die: it retries when we exit.
    throw failed[0]!.reason;
  }

  #track(spec: StartSpec, proc: ChildProcess): Entry {
    let resolveExit!: (e: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => {
      resolveExit = r;
    });
    const entry: Entry = {
      proc,
      pid: proc.pid ?? -1,
      stopping: false,
      ready: false,
      groupGone: proc.pid === undefined,
      handle: {
        name: spec.name,
        pid: proc.pid ?? -1,
        logFile: spec.logFile,
        get readyLine() {
          return entry.readyLine;
        },
        exited,
        isRunning: () => entry.exit === undefined,
        exitInfo: () => entry.exit,
      },
    };
    this.#entries.push(entry);
    if (proc.pid !== undefined) {
      this.#reaper ??= startReaper();
      this.#reaper.watch(proc.pid);
    }
    this.#installHooks();
    const ended = (exit: ExitInfo) => {
      if (entry.exit) return;
      entry.exit = exit;
      entry.log?.end();
      resolveExit(exit);
      if (entry.ready && !entry.stopping && !this.#stoppingAll) this.#onUnexpectedExit?.(entry.handle, exit);
      this.#maybeRemoveHooks();
    };
    proc.once('error', () => ended({ code: null, signal: null }));
    proc.once('exit', (code, signal) => ended({ code, signal }));
    return entry;
  }

  #stopEntry(entry: Entry): Promise<ExitInfo> {
    if (entry.stopPromise) return entry.stopPromise;
    entry.stopping = true;
    entry.stopPromise = (async () => {
      const { pid } = entry;
      if (!entry.exit) {
        signalGroup(pid, 'SIGTERM');
        if ((await within(entry.handle.exited, this.#graceMs)) === undefined) signalGroup(pid, 'SIGKILL');
      }
      const info = await within(entry.handle.exited, AFTER_KILL_MS);
      if (info === undefined) throw new ChildStopError(entry.handle.name, pid, AFTER_KILL_MS);
      // Anything the child left in its group (a grandchild) goes too, and is waited for (bounded).
      signalGroup(pid, 'SIGKILL');
      await groupGone(pid, AFTER_GROUP_KILL_MS);
      if (!entry.groupGone) {
        entry.groupGone = true;
        this.#reaper?.unwatch(pid);
      }
      this.#maybeRemoveHooks();
      return info;
    })();
    return entry.stopPromise;
  }

  #stopReason(): string {
    const reason: unknown = this.#stop.signal.reason;
    return reason instanceof Error ? reason.message : String(reason);
  }

  #killAllNow(): void {
    for (const e of this.#entries) if (!e.groupGone) signalGroup(e.pid, 'SIGKILL');
  }

  #onSignal(signal: NodeJS.Signals): void {
    this.requestStop(`${signal} received`);
    const policy = this.#signals;
    if (typeof policy === 'function') {
      policy(signal);
      return;
    }
    void this.stopAll()
      .catch(() => {})
      .finally(() => process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0)));
  }

  #installHooks(): void {
    if (this.#hooksInstalled) return;
    this.#hooksInstalled = true;
    process.on('exit', this.#exitHook);
    if (this.#signals !== 'none') {
      process.on('SIGINT', this.#signalHook);
      process.on('SIGTERM', this.#signalHook);
    }
  }

  #maybeRemoveHooks(): void {
    // Keep the hooks while stopAll runs; otherwise drop them once nothing is left to protect.
    if (!this.#stoppingAll && this.#entries.every((e) => e.groupGone)) this.#removeHooks();
  }

  #removeHooks(): void {
    if (!this.#hooksInstalled) return;
    this.#hooksInstalled = false;
    process.off('exit', this.#exitHook);
    process.off('SIGINT', this.#signalHook);
    process.off('SIGTERM', this.#signalHook);
  }
}

/** Copies a piped stdout into the log file and cuts it into lines for ready checks and `onStdoutLine`. */
function teeStdout(
  proc: ChildProcess,
  logFile: string,
  onLine: ((line: string) => void) | undefined,
): { lines: LineFeed; log: WriteStream } | undefined {
  if (!proc.stdout) return undefined;
  const lines = new LineFeed(onLine);
  const log = createWriteStream(logFile, { flags: 'a' });
  log.on('error', () => {});
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    log.write(chunk);
    lines.push(chunk);
  });
  return { lines, log };
}

/** Resolves once the program has been exec'd; rejects with the spawn error (e.g. EACCES). */
function spawned(proc: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      proc.off('spawn', onSpawn);
      reject(new NotReadyError(`could not be started: ${err.message}`));
    };
    const onSpawn = () => {
      proc.off('error', onError);
      resolve();
    };
    proc.once('error', onError);
    proc.once('spawn', onSpawn);
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Polls until process group `pgid` has no member left (zombies count until reaped), at most `ms`. */
async function groupGone(pgid: number, ms: number): Promise<void> {
  if (pgid <= 0) return;
  const deadline = Date.now() + ms;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The local runtime's process supervisor: starts the collectors and the producer processes, waits until
 * each is ready, notices a child that dies mid-run, and stops them all. local/collectors.ts and the
 * runner (`pushpull run`) share one `Supervisor` so a single `stopAll()` leaves nothing behind.
 *
 * No orphans: each child leads its own process group (so a terminal's Ctrl-C reaches only us, and we
 * decide the order) and is signalled as a group; a process 'exit' hook SIGKILLs any group still alive
 * as a last resort; SIGINT/SIGTERM to us stop every child before we exit (unless the caller takes over).
 * A parent killed with SIGKILL cannot clean up: nothing can catch that.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  createWriteStream,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';

/** How to tell that a child is ready to serve. */
export type ReadyCheck =
  /** Poll `GET url` until it answers 200. */
  | { kind: 'http'; url: string }
  /** Poll a TCP connect to host:port until it is accepted (for a non-HTTP listener such as OTLP/gRPC). */
  | { kind: 'tcp'; host: string; port: number }
  /** Read stdout line by line until a line that parses as a JSON object satisfies `match`. */
  | { kind: 'stdout-json'; match: (line: Record<string, unknown>) => boolean };

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
  /** One check, or several that must all pass (in order, within the one timeout). */
  ready?: ReadyCheck | readonly ReadyCheck[];
  /** Default 30 000 ms, for all checks together. */
  readyTimeoutMs?: number;
  /**
   * Called with each stdout line (without the newline), for the whole life of the child. Setting it (or a
   * `stdout-json` ready check) makes stdout a pipe read by us; otherwise stdout goes straight to the log.
   */
  onStdoutLine?: (line: string) => void;
}

/** How a child ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
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
}

/** A child failed to start or to become ready; the message names it and quotes the end of its log. */
export class ChildStartError extends Error {
  readonly child: string;
  readonly logFile: string;
  constructor(child: string, reason: string, logFile: string) {
    const tail = logTail(logFile);
    super(
      `${child} ${reason}.${tail ? `\nLast lines of ${logFile}:\n${indent(tail)}` : ` (its log ${logFile} is empty)`}`,
    );
    this.name = 'ChildStartError';
    this.child = child;
    this.logFile = logFile;
  }
}

/** What to do when this process gets SIGINT or SIGTERM while children run. */
export type SignalPolicy =
  /** Stop every child, then exit with 128 + signal number (the default). */
  | 'stop-and-exit'
  /** Install nothing: the caller handles signals and must call `stopAll()`. */
  | 'none'
  /** Install handlers that call this; the caller then stops children (e.g. after writing a partial report). */
  | ((signal: NodeJS.Signals) => void);

export interface SupervisorOptions {
  /** Time between SIGTERM and SIGKILL when stopping. Default 5 000 ms. */
  graceMs?: number;
  /** A ready child exited without being asked to. */
  onUnexpectedExit?: (child: ChildHandle, exit: ExitInfo) => void;
  signals?: SignalPolicy;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

interface Entry {
  handle: ChildHandle;
  proc: ChildProcess;
  running: boolean;
  stopping: boolean;
  ready: boolean;
  stopPromise?: Promise<ExitInfo>;
  log?: WriteStream;
}

/** Starts children and guarantees they are stopped. One per run; not reusable after `stopAll()`. */
export class Supervisor {
  readonly #graceMs: number;
  readonly #onUnexpectedExit: SupervisorOptions['onUnexpectedExit'];
  readonly #signals: SignalPolicy;
  readonly #entries: Entry[] = [];
  #hooksInstalled = false;
  #stoppingAll = false;
  readonly #exitHook = () => this.#killAllNow();
  readonly #signalHook = (signal: NodeJS.Signals) => this.#onSignal(signal);

  constructor(options: SupervisorOptions = {}) {
    this.#graceMs = options.graceMs ?? 5000;
    this.#onUnexpectedExit = options.onUnexpectedExit;
    this.#signals = options.signals ?? 'stop-and-exit';
  }

  /** The children started so far (running or not). */
  children(): ChildHandle[] {
    return this.#entries.map((e) => e.handle);
  }

  /**
   * Starts a child and resolves once it is ready (or at once when `spec.ready` is unset). On a failed
   * start — spawn error, early exit, readiness timeout — the child is killed and `ChildStartError` thrown.
   */
  async start(spec: StartSpec): Promise<ChildHandle> {
    if (this.#stoppingAll) throw new Error(`cannot start ${spec.name}: the supervisor is stopping`);
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const logFd = openSync(spec.logFile, 'a');
    const checks: readonly ReadyCheck[] =
      spec.ready === undefined ? [] : Array.isArray(spec.ready) ? spec.ready : [spec.ready as ReadyCheck];
    const pipeStdout = checks.some((c) => c.kind === 'stdout-json') || spec.onStdoutLine !== undefined;
    let proc: ChildProcess;
    try {
      proc = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        detached: true,
        stdio: ['ignore', pipeStdout ? 'pipe' : logFd, logFd],
      });
    } finally {
      // The child holds its own copy of the descriptor.
      closeSync(logFd);
    }

    let resolveExit!: (e: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => {
      resolveExit = r;
    });
    let spawnError: Error | undefined;
    let readyLine: Record<string, unknown> | undefined;
    const entry: Entry = {
      proc,
      running: true,
      stopping: false,
      ready: false,
      handle: {
        name: spec.name,
        get pid() {
          return proc.pid ?? -1;
        },
        logFile: spec.logFile,
        get readyLine() {
          return readyLine;
        },
        exited,
        isRunning: () => entry.running,
      },
    };
    this.#entries.push(entry);
    this.#installHooks();

    proc.once('error', (err) => {
      spawnError = err;
      if (entry.running) {
        entry.running = false;
        resolveExit({ code: null, signal: null });
      }
    });
    proc.once('exit', (code, signal) => {
      entry.running = false;
      entry.log?.end();
      resolveExit({ code, signal });
      if (entry.ready && !entry.stopping && !this.#stoppingAll) {
        this.#onUnexpectedExit?.(entry.handle, { code, signal });
      }
      this.#maybeRemoveHooks();
    });

    const lineWaiters: ((line: string) => void)[] = [];
    // Lines printed before a stdout-json check begins waiting (it may follow an http check).
    const earlyLines: string[] = [];
    if (pipeStdout && proc.stdout) {
      entry.log = createWriteStream(spec.logFile, { flags: 'a' });
      entry.log.on('error', () => {});
      let buffered = '';
      proc.stdout.setEncoding('utf8');
      proc.stdout.on('data', (chunk: string) => {
        entry.log?.write(chunk);
        buffered += chunk;
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          spec.onStdoutLine?.(line);
          if (!entry.ready && earlyLines.length < 1000) earlyLines.push(line);
          for (const w of lineWaiters) w(line);
          nl = buffered.indexOf('\n');
        }
        // A child that never ends a line must not grow our memory without bound.
        if (buffered.length > 1 << 20) buffered = '';
      });
    }

    const timeoutMs = spec.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    try {
      // Give a spawn error (ENOENT) its tick to arrive.
      await new Promise((r) => setImmediate(r));
      if (spawnError) throw new ReadyFailure(`could not be started: ${spawnError.message}`);
      for (const check of checks) {
        const left = Math.max(1, deadline - Date.now());
        if (check.kind === 'http') {
          await waitFor(
            () => probeHttp(check.url),
            `GET ${check.url} should answer 200`,
            left,
            timeoutMs,
            exited,
            () => spawnError,
          );
        } else if (check.kind === 'tcp') {
          const where = `${check.host}:${check.port}`;
          await waitFor(
            () => probeTcp(check.host, check.port),
            `${where} should accept a TCP connection`,
            left,
            timeoutMs,
            exited,
            () => spawnError,
          );
        } else {
          readyLine = await waitForLine(
            (w) => {
              for (const l of earlyLines) w(l);
              lineWaiters.push(w);
            },
            check.match,
            left,
            timeoutMs,
            exited,
            () => spawnError,
          );
        }
      }
    } catch (err) {
      await this.#stopEntry(entry);
      const what = `(${spec.command} ${spec.args.join(' ')})`;
      const reason = err instanceof ReadyFailure ? err.message : String(err);
      throw new ChildStartError(spec.name, `${reason} ${what}`, spec.logFile);
    }
    lineWaiters.length = 0;
    earlyLines.length = 0;
    entry.ready = true;
    return entry.handle;
  }

  /** Stops one child: SIGTERM to its group, SIGKILL after the grace period; resolves when it is gone. */
  stop(child: ChildHandle): Promise<ExitInfo> {
    const entry = this.#entries.find((e) => e.handle === child);
    if (!entry) throw new Error(`${child.name} was not started by this supervisor`);
    return this.#stopEntry(entry);
  }

  /** Stops every child (in reverse start order, concurrently) and waits until all are gone. */
  async stopAll(): Promise<void> {
    this.#stoppingAll = true;
    await Promise.all([...this.#entries].reverse().map((e) => this.#stopEntry(e)));
    this.#removeHooks();
  }

  #stopEntry(entry: Entry): Promise<ExitInfo> {
    if (entry.stopPromise) return entry.stopPromise;
    entry.stopping = true;
    entry.stopPromise = (async () => {
      const pid = entry.proc.pid;
      if (entry.running && pid !== undefined) {
        signalGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            signalGroup(pid, 'SIGKILL');
            resolve();
          }, this.#graceMs);
        });
        await Promise.race([entry.handle.exited, killed]);
        clearTimeout(timer);
      }
      const info = await entry.handle.exited;
      // Anything the child left in its group (a wrapper's child) goes too.
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      return info;
    })();
    return entry.stopPromise;
  }

  #killAllNow(): void {
    for (const e of this.#entries) {
      if (e.running && e.proc.pid !== undefined) signalGroup(e.proc.pid, 'SIGKILL');
    }
  }

  #onSignal(signal: NodeJS.Signals): void {
    const policy = this.#signals;
    if (typeof policy === 'function') {
      policy(signal);
      return;
    }
    void this.stopAll().finally(() => process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0)));
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
    if (!this.#stoppingAll && this.#entries.every((e) => !e.running)) this.#removeHooks();
  }

  #removeHooks(): void {
    if (!this.#hooksInstalled) return;
    this.#hooksInstalled = false;
    process.off('exit', this.#exitHook);
    process.off('SIGINT', this.#signalHook);
    process.off('SIGTERM', this.#signalHook);
  }
}

class ReadyFailure extends Error {}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((r) => {
    timer = setTimeout(r, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** A probe answers null when ready, else what it saw (for the timeout message). */
type Probe = () => Promise<string | null>;

async function probeHttp(url: string): Promise<string | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status === 200 ? null : `HTTP ${res.status}`;
  } catch (e) {
    return errorText(e);
  }
}

function probeTcp(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    const done = (result: string | null) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(null));
    socket.once('timeout', () => done('connect timed out'));
    socket.once('error', (e) => done(e.message));
  });
}

async function waitFor(
  probe: Probe,
  what: string,
  timeoutMs: number,
  shownMs: number,
  exited: Promise<ExitInfo>,
  spawnError: () => Error | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: ExitInfo | undefined;
  void exited.then((e) => {
    exitedWith = e;
  });
  let last = 'no answer yet';
  // Bounded by the deadline; the attempt cap is a second guard.
  for (let attempt = 0; attempt < 100_000 && Date.now() < deadline; attempt++) {
    const err = spawnError();
    if (err) throw new ReadyFailure(`could not be started: ${err.message}`);
    if (exitedWith) throw new ReadyFailure(`exited (${describeExit(exitedWith)}) before it was ready`);
    const seen = await probe();
    if (seen === null) return;
    last = seen;
    const pause = delay(100);
    await Promise.race([pause.promise, exited]);
    pause.cancel();
  }
  if (exitedWith) throw new ReadyFailure(`exited (${describeExit(exitedWith)}) before it was ready`);
  throw new ReadyFailure(`was not ready within ${shownMs / 1000}s (${what}; last: ${last})`);
}

async function waitForLine(
  subscribe: (waiter: (line: string) => void) => void,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs: number,
  shownMs: number,
  exited: Promise<ExitInfo>,
  spawnError: () => Error | undefined,
): Promise<Record<string, unknown>> {
  const timer = delay(timeoutMs);
  try {
    return await new Promise<Record<string, unknown>>((resolve, reject) => {
      subscribe((line) => {
        const obj = parseJsonObject(line);
        if (obj && match(obj)) resolve(obj);
      });
      void exited.then((e) => {
        const err = spawnError();
        reject(
          new ReadyFailure(
            err
              ? `could not be started: ${err.message}`
              : `exited (${describeExit(e)}) before it printed its ready line`,
          ),
        );
      });
      void timer.promise.then(() =>
        reject(new ReadyFailure(`did not print its ready line on stdout within ${shownMs / 1000}s`)),
      );
    });
  } finally {
    timer.cancel();
  }
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describeExit(e: ExitInfo): string {
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`;
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Error) return `${e.message}: ${cause.message}`;
    return e.message;
  }
  return String(e);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** The last `maxLines` lines (at most `maxBytes` bytes) of a log file; '' when it is missing or empty. */
export function logTail(path: string, maxLines = 20, maxBytes = 8192): string {
  try {
    const size = statSync(path).size;
    const len = Math.min(size, maxBytes);
    if (len === 0) return '';
    const buf = Buffer.alloc(len);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    const lines = buf.toString('utf8').replace(/\n+$/, '').split('\n');
    return lines.slice(-maxLines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Readiness checks of a supervised child: poll HTTP until 200, poll a TCP connect, or wait for a JSON
 * line on stdout; all within one deadline, giving up at once when the child exits, and stopping when
 * the run is stopping. Called by process/supervisor.ts; the polling itself is process/poll.ts.
 */
import { connect } from 'node:net';
import { describeExit, type ExitInfo } from './exit.ts';
import type { LineFeed } from './line-feed.ts';
import { errorText, formatSeconds, pollUntil, WaitError } from './poll.ts';

/** How to tell that a child is ready to serve. */
export type ReadyCheck =
  /** Poll `GET url` until it answers 200. */
  | { kind: 'http'; url: string }
  /** Poll a TCP connect to host:port until it is accepted (for a non-HTTP listener such as OTLP/gRPC). */
  | { kind: 'tcp'; host: string; port: number }
  /** Read stdout line by line until a line that parses as a JSON object satisfies `match`. */
  | { kind: 'stdout-json'; match: (line: Record<string, unknown>) => boolean };

/** The child is not ready and will not be; `message` is the reason, phrased after the child's name. */
export class NotReadyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotReadyError';
  }
}

/** What the checks watch. */
export interface ReadyContext {
  /** For all checks together. */
  timeoutMs: number;
  /** Aborted when the run stops: the wait rejects with its reason. */
  signal: AbortSignal;
  /** Resolves when the child exits. */
  exited: Promise<ExitInfo>;
  /** How it ended, once it has. */
  exitInfo: () => ExitInfo | undefined;
  /** Its stdout, when a `stdout-json` check needs it. */
  lines?: LineFeed;
}

/**
 * Runs the checks in order within one deadline; resolves with the matched stdout line (if any check
 * reads one). Throws `NotReadyError`, or the signal's reason when the run is stopping.
 */
export async function waitUntilReady(
  checks: readonly ReadyCheck[],
  ctx: ReadyContext,
): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + ctx.timeoutMs;
  let readyLine: Record<string, unknown> | undefined;
  for (const check of checks) {
    const left = Math.max(1, deadline - Date.now());
    if (check.kind === 'stdout-json') {
      if (!ctx.lines) throw new Error('a stdout-json ready check needs the child stdout piped');
      readyLine = await waitForLine(ctx.lines, check.match, { ...ctx, timeoutMs: left }, ctx.timeoutMs);
      continue;
    }
    const [what, probe] =
      check.kind === 'http'
        ? [`GET ${check.url} should answer 200`, () => probeHttp(check.url)]
        : [
            `${check.host}:${check.port} should accept a TCP connection`,
            () => probeTcp(check.host, check.port),
          ];
    try {
      await pollUntil(what, probe, {
        timeoutMs: left,
        intervalMs: 100,
        signal: ctx.signal,
        wake: ctx.exited,
        giveUpReason: () => {
          const exit = ctx.exitInfo();
          return exit ? `exited (${describeExit(exit)}) before it was ready` : undefined;
        },
      });
    } catch (err) {
      if (!(err instanceof WaitError)) throw err;
      throw new NotReadyError(
        err.outcome === 'gave-up'
          ? err.last
          : `was not ready within ${formatSeconds(ctx.timeoutMs)} (${what}; last: ${err.last})`,
      );
    }
  }
  return readyLine;
}

/** Resolves `true` on HTTP 200; otherwise throws what it saw (for the timeout message). */
async function probeHttp(url: string): Promise<true> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return true;
}

function probeTcp(host: string, port: number): Promise<true> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    const done = (err: Error | null) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(true);
    };
    socket.once('connect', () => done(null));
    socket.once('timeout', () => done(new Error('connect timed out')));
    socket.once('error', (e) => done(new Error(errorText(e))));
  });
}

function waitForLine(
  lines: LineFeed,
  match: (line: Record<string, unknown>) => boolean,
  ctx: ReadyContext,
  shownMs: number,
): Promise<Record<string, unknown>> {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const cleanup: (() => void)[] = [];
    let settled = false;
    const settle = (fn: () => void) => {
      settled = true;
      for (const c of cleanup) c();
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new NotReadyError(`did not print its ready line on stdout within ${formatSeconds(shownMs)}`),
          ),
        ),
      ctx.timeoutMs,
    );
    cleanup.push(() => clearTimeout(timer));
    const onAbort = () => settle(() => reject(ctx.signal.reason));
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    cleanup.push(() => ctx.signal.removeEventListener('abort', onAbort));
    void ctx.exited.then(
      (e) =>
        settled ||
        settle(() =>
          reject(new NotReadyError(`exited (${describeExit(e)}) before it printed its ready line`)),
        ),
    );
    const unsubscribe = lines.listen((line) => {
      const obj = settled ? undefined : parseJsonObject(line);
      if (obj && match(obj)) settle(() => resolve(obj));
    });
    // A remembered line may have matched already.
    if (settled) unsubscribe();
    else cleanup.push(unsubscribe);
  });
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

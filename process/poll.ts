/**
 * The one bounded readiness poller: probe until it yields a value, a reason to give up appears (the
 * child died), the deadline passes, or the run is stopping. The supervisor's ready checks and the dev
 * cluster's waits (etcd health, apiserver /readyz, Nodes Ready) both use it. Clock and sleep are
 * injectable so poll.test.ts never sleeps.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How to poll. */
export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** A reason to give up now (e.g. "kube-apiserver exited (code 1)"), or undefined to go on. */
  giveUpReason?: () => string | undefined;
  /** Stops the wait: the poll rejects with `signal.reason` (the supervisor's stop request). */
  signal?: AbortSignal;
  /** Settling cuts a pause short, so a dying child is noticed at once rather than after the interval. */
  wake?: Promise<unknown>;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** A poll that timed out or gave up; `message` says what was awaited and what was seen last. */
export class WaitError extends Error {
  /** What was awaited, e.g. "etcd becoming healthy". */
  readonly what: string;
  /** `timed-out`: the deadline passed; `gave-up`: `giveUpReason` answered. */
  readonly outcome: 'timed-out' | 'gave-up';
  /** The last probe's failure, or the give-up reason. */
  readonly last: string;
  readonly timeoutMs: number;
  constructor(init: { what: string; outcome: WaitError['outcome']; last: string; timeoutMs: number }) {
    super(
      init.outcome === 'gave-up'
        ? `${init.what} failed: ${init.last}`
        : `${init.what} did not happen within ${formatSeconds(init.timeoutMs)} (last check: ${init.last})`,
    );
    this.name = 'WaitError';
    this.what = init.what;
    this.outcome = init.outcome;
    this.last = init.last;
    this.timeoutMs = init.timeoutMs;
  }
}

/** "0.5s", "30s", "0s" (for a deadline under 50 ms). */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

/**
 * Calls `probe` until it returns a value other than undefined. A probe that throws counts as "not yet"
 * (its message is kept for the error). At most `timeoutMs / intervalMs + 1` attempts. Throws
 * `WaitError`, or `signal.reason` once the signal is aborted.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const { signal } = options;
  const deadline = now() + options.timeoutMs;
  const maxAttempts = Math.floor(options.timeoutMs / Math.max(1, options.intervalMs)) + 1;
  const interrupted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
    void options.wake?.then(() => resolve());
  });
  let last = 'no attempt finished';
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    signal?.throwIfAborted();
    const reason = options.giveUpReason?.();
    if (reason !== undefined) {
      throw new WaitError({ what, outcome: 'gave-up', last: reason, timeoutMs: options.timeoutMs });
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      last = errorText(err);
    }
    if (now() >= deadline) break;
    await Promise.race([pause(Math.min(options.intervalMs, Math.max(0, deadline - now()))), interrupted]);
  }
  signal?.throwIfAborted();
  const reason = options.giveUpReason?.();
  if (reason !== undefined) {
    throw new WaitError({ what, outcome: 'gave-up', last: reason, timeoutMs: options.timeoutMs });
  }
  throw new WaitError({ what, outcome: 'timed-out', last, timeoutMs: options.timeoutMs });
}

/** An error's message with its cause (fetch hides ECONNREFUSED in `cause`). */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}

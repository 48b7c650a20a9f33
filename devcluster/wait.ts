/**
 * Bounded readiness polling for the dev cluster: probe until it yields a value, a component dies, or
 * the deadline passes; the error names what was awaited, the last probe failure and any evidence the
 * caller adds (a component's log tail). Clock and sleep are injectable so wait.test.ts never sleeps.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DevClusterError } from './errors.ts';

/** How to poll. */
export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Returns a reason to give up now (e.g. "kube-apiserver exited with code 1"), or undefined. */
  abortReason?: () => string | undefined;
  /** Extra text for the error (e.g. the tail of the component's log). */
  evidence?: () => Promise<string>;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Calls `probe` until it returns a value other than undefined. A probe that throws counts as "not yet"
 * (its message is kept for the error). At most `timeoutMs / intervalMs + 1` attempts.
 * Throws `DevClusterError`: "<what> did not happen within Ns (last: ...)" plus the evidence.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const deadline = now() + options.timeoutMs;
  const maxAttempts = Math.floor(options.timeoutMs / options.intervalMs) + 1;
  let last = 'no attempt finished';
  let failure: string | undefined;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const abort = options.abortReason?.();
    if (abort !== undefined) {
      failure = `${what} failed: ${abort}`;
      break;
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (now() >= deadline) break;
    await pause(options.intervalMs);
  }
  const seconds = Math.round(options.timeoutMs / 1000);
  const head = failure ?? `${what} did not happen within ${seconds}s (last check: ${last})`;
  const evidence = options.evidence ? await options.evidence() : '';
  throw new DevClusterError(evidence ? `${head}\n${evidence}` : head);
}

/**
 * A keyed, de-duplicating work queue in the manner of client-go's: watch events only add keys
 * (`namespace/name`); a key is queued at most once however many events arrive; a key being processed is
 * never handed to a second worker, and an add during processing re-queues it once when `done` is called.
 * Delayed adds keep the earliest due time; failures back off per key exponentially up to a cap.
 * Called by operator/manager.ts; time comes from an injected TimerClock.
 */
import type { CancelTimer, TimerClock } from './timer-clock.ts';

export interface WorkQueueOptions {
  clock: TimerClock;
  /** First retry delay after a failure (doubles per consecutive failure). Default 500 ms. */
  baseBackoffMs?: number;
  /** Backoff cap. Default 5 minutes. */
  maxBackoffMs?: number;
}

export class WorkQueue {
  readonly #clock: TimerClock;
  readonly #base: number;
  readonly #max: number;
  /** Ready keys in FIFO order; `#queued` mirrors it for O(1) de-duplication. */
  #ready: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  /** Keys added while being processed: re-queued by `done`. */
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, { at: number; cancel: CancelTimer }>();
  readonly #failures = new Map<string, number>();
  #waiters: Array<(key: string | undefined) => void> = [];
  #shutDown = false;

  constructor(opts: WorkQueueOptions) {
    this.#clock = opts.clock;
    this.#base = opts.baseBackoffMs ?? 500;
    this.#max = opts.maxBackoffMs ?? 300_000;
  }

  /** Makes `key` ready now (a no-op when it is already queued). */
  add(key: string): void {
    if (this.#shutDown) return;
    const delayed = this.#delayed.get(key);
    if (delayed) {
      delayed.cancel();
      this.#delayed.delete(key);
    }
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#processing.add(key);
      waiter(key);
      return;
    }
    this.#queued.add(key);
    this.#ready.push(key);
  }

  /** Makes `key` ready after `ms`; an earlier pending due time wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shutDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    const at = this.#clock.now() + ms;
    const existing = this.#delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.#clock.setTimer(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, ms);
    this.#delayed.set(key, { at, cancel });
  }

  /** Re-queues `key` after its backoff, and counts the failure. */
  addRateLimited(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const delay = this.backoffMs(failures);
    this.addAfter(key, delay);
    return delay;
  }

  /** The backoff after `failures` earlier consecutive failures. */
  backoffMs(failures: number): number {
    return Math.min(this.#max, this.#base * 2 ** Math.min(failures, 30));
  }

  /** Forgets `key`'s failures (after a success or a terminal outcome). */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The next ready key, waiting for one; `undefined` once shut down. The caller must call `done`. */
  get(): Promise<string | undefined> {
    const key = this.#ready.shift();
    if (key !== undefined) {
      this.#queued.delete(key);
      this.#processing.add(key);
      return Promise.resolve(key);
    }
    if (this.#shutDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.delete(key)) this.add(key);
  }

  /** Ready keys (the depth metric). */
  len(): number {
    return this.#ready.length;
  }

  /** Keys waiting for a delay or backoff. */
  delayedLen(): number {
    return this.#delayed.size;
  }

  /** Stops handing out keys: pending `get`s resolve to undefined, timers are cancelled. */
  shutDown(): void {
    this.#shutDown = true;
    for (const d of this.#delayed.values()) d.cancel();
    this.#delayed.clear();
    for (const w of this.#waiters.splice(0)) w(undefined);
  }
}

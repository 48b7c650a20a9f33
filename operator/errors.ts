/**
 * The three outcomes of a reconcile, classified in one place: a transient error is retried with the
 * key's exponential backoff; a terminal error (a bad spec, an object the API server rejects as
 * invalid) becomes a Failed condition with a reason and is not retried; waiting is not an error at all
 * but a `requeueAfterMs` result.
 */
import { ApiError } from '../kube/api-error.ts';

/** Retry with backoff (API unavailable, conflict, a pod not answering yet). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Do not retry: record the reason on the experiment. */
export class TerminalError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'TerminalError';
    this.reason = reason;
  }
}

export type ErrorClass = 'transient' | 'terminal';

/**
 * Terminal: TerminalError, and API answers that repeating cannot fix (400 Bad Request, 422 Invalid).
 * Everything else (network, 409 conflicts, 429, 5xx, 403 until an admin fixes RBAC, unknown) is transient.
 */
export function classify(err: unknown): ErrorClass {
  if (err instanceof TerminalError) return 'terminal';
  if (err instanceof ApiError && (err.statusCode === 400 || err.statusCode === 422)) return 'terminal';
  return 'transient';
}

/** A one-line description for logs, events and conditions (never a stack trace). */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

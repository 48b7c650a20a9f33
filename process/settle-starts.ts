/**
 * Waiting for starts that run side by side (a fleet of producers, the collectors of one stage): the
 * first real failure asks the supervisor to stop, so the other starts end at once instead of running to
 * their ready timeouts (the run cannot go on without the failed child); every start settles before the
 * caller goes on, so nothing is still coming up behind the thrown error; and the error thrown is the
 * root cause, not the stops it set off. Used by local/collectors.ts and local/producer-fleet.ts.
 */
import { ChildStartError, StopRequest } from './errors.ts';

/** The part of the Supervisor this needs. */
export interface StopRequester {
  requestStop(reason: string): void;
}

/**
 * Like Promise.all over starts, but settles them all; on the first failure that is not a stop it calls
 * `supervisor.requestStop`. Throws that failure, else the first stop (`StartAbortedError`).
 */
export async function settleStarts<T>(
  supervisor: StopRequester,
  starts: readonly Promise<T>[],
): Promise<T[]> {
  for (const start of starts) {
    void start.catch((err: unknown) => {
      if (err instanceof StopRequest) return;
      supervisor.requestStop(`${err instanceof ChildStartError ? err.child : 'a process'} failed to start`);
    });
  }
  const results = await Promise.allSettled(starts);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((e) => !(e instanceof StopRequest)) ?? failures[0];
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * What the supervisor throws, one class per outcome a caller treats differently: a child that could not
 * start (bad flag, port taken: fix and retry), a start cut short because the run is stopping (not a
 * fault of the child: report the stop), and a child that would not die. Thrown by
 * process/supervisor.ts; callers such as local/producer-fleet.ts and devcluster/cluster.ts branch on them.
 */
import { logTail } from './log-tail.ts';

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

/**
 * Why the supervisor is stopping (`Supervisor.stopping.reason`: "SIGTERM received", ...); also what a
 * wait of the run throws when the stop cuts it short. Callers tell "stopped" from "failed" with
 * `instanceof StopRequest`.
 */
export class StopRequest extends Error {
  /** The stop's reason, e.g. "SIGTERM received". */
  readonly reason: string;
  constructor(reason: string, message = reason) {
    super(message);
    this.name = 'StopRequest';
    this.reason = reason;
  }
}

/** A start refused or cut short because the supervisor is stopping; the child, if spawned, is gone. */
export class StartAbortedError extends StopRequest {
  readonly child: string;
  constructor(child: string, spawned: boolean, reason: string) {
    super(
      reason,
      spawned
        ? `${child} was stopped while it was starting: ${reason}`
        : `${child} was not started: the run is stopping (${reason})`,
    );
    this.name = 'StartAbortedError';
    this.child = child;
  }
}

/** A child's main process did not exit even after SIGKILL (e.g. stuck in uninterruptible I/O). */
export class ChildStopError extends Error {
  readonly child: string;
  constructor(child: string, pid: number, waitedMs: number) {
    super(`${child} (pid ${pid}) did not exit within ${waitedMs / 1000}s of SIGKILL`);
    this.name = 'ChildStopError';
    this.child = child;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/**
 * How a supervised process ended, in one wording for every message that mentions it (start failures,
 * a collector that died mid-run, a dev-cluster component that exited). Used by process/supervisor.ts
 * and devcluster/cluster.ts.
 */

/** How a child ended: an exit code, or the signal that killed it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** "code 3" or "signal SIGKILL", for phrases such as `exited (code 3) before it was ready`. */
export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

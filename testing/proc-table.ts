/**
 * The process table as /proc shows it, for tests that must prove a run left no process behind: who
 * descends from a pid, whether that very process (pid and start time) still runs, whether a process
 * group still has members. Used by local/scenarios/harness.ts and process/*.itest.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it; `startTicks` tells a reused pid from the original. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  startTicks: number;
  argv: string[];
}

/** Reads /proc/<pid>/stat and cmdline; null when the process is gone. */
export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let argv: string[] = [];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      // A process exiting right now: its stat is enough.
    }
    return {
      pid,
      state: f[0] ?? '?',
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      startTicks: Number(f[19]),
      argv,
    };
  } catch {
    return null;
  }
}

/** Every process on the machine (as far as /proc lets us see). */
export function processTable(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** The descendants of `rootPid` (children, their children...), not the root itself. */
export function descendantsOf(rootPid: number, table: readonly ProcInfo[] = processTable()): ProcInfo[] {
  const found: ProcInfo[] = [];
  const parents = new Set([rootPid]);
  // Bounded: each pass adds a generation; process trees here are a few levels deep.
  for (let depth = 0; depth < 16; depth++) {
    const next = table.filter((p) => parents.has(p.ppid) && !found.some((f) => f.pid === p.pid));
    if (next.length === 0) break;
    for (const p of next) {
      found.push(p);
      parents.add(p.pid);
    }
  }
  return found;
}

/**
 * Records every descendant of `rootPid` seen while it runs (polled every `everyMs`), so the test can
 * check afterwards that each one is gone. `stop()` takes a last look and returns them all.
 */
export function watchDescendants(rootPid: number, everyMs = 250): { stop(): ProcInfo[] } {
  const seen = new Map<string, ProcInfo>();
  const look = () => {
    for (const p of descendantsOf(rootPid)) seen.set(`${p.pid}/${p.startTicks}`, p);
  };
  look();
  const timer = setInterval(look, everyMs);
  return {
    stop() {
      look();
      clearInterval(timer);
      return [...seen.values()];
    },
  };
}

/** Is this very process (same pid and start time) still there, zombies excluded? */
export function stillRunning(p: ProcInfo): boolean {
  const now = readProc(p.pid);
  return now !== null && now.startTicks === p.startTicks && now.state !== 'Z';
}

/** Does any process still belong to process group `pgid`? */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The reaper: a tiny `sh` that outlives us to kill our children's process groups if we die without
 * stopping them (SIGKILL, an OOM kill, a test runner's timeout), since nothing in a SIGKILLed process
 * can clean up. It reads "watch PGID" / "unwatch PGID" lines on a pipe from us; when the pipe closes
 * (we exited or died) it sends SIGTERM to every group still watched, waits up to REAPER_GRACE_SECONDS
 * for them to go, then SIGKILLs what is left. Killing whole groups takes grandchildren too, and a
 * grandchild that leads its own group (a child running its own supervisor) has that child's reaper.
 * Started by process/supervisor.ts, one per Supervisor.
 */
import { spawn } from 'node:child_process';

/**
 * Between the reaper's SIGTERM and SIGKILL: long enough for Prometheus to close its TSDB, short enough
 * that two nested supervisors (each reaper waits once) end within 5 s of a SIGKILL of the top one.
 */
export const REAPER_GRACE_SECONDS = 1.5;

const TICKS = Math.round(REAPER_GRACE_SECONDS * 10);

// dash's `kill` takes `-PGID` for a group but no `--`. The wait loop is bounded by TICKS.
const REAPER_SCRIPT = `
groups=' '
while read -r op pgid; do
  case "$op" in
    watch) groups="$groups$pgid " ;;
    unwatch) kept=' '; for g in $groups; do [ "$g" = "$pgid" ] || kept="$kept$g "; done; groups="$kept" ;;
  esac
done
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
i=0
while [ "$i" -lt ${TICKS} ]; do
  alive=
  for g in $groups; do kill -0 -"$g" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && exit 0
  sleep 0.1
  i=$((i + 1))
done
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
`;

/** Kills the watched process groups if this process goes away before `dispose()`. */
export interface Reaper {
  watch(pgid: number): void;
  /** The group is gone (stopped and SIGKILLed): forget it, so a reused pgid is never signalled. */
  unwatch(pgid: number): void;
  /**
   * Ends the watch; the reaper exits (signalling only groups still watched, normally none). Resolves
   * once it has (bounded by `timeoutMs`), so a caller that stopped everything leaves not even the reaper.
   */
  dispose(timeoutMs?: number): Promise<void>;
}

/** Starts the reaper in its own process group, so a Ctrl-C to ours does not reach it. */
export function startReaper(): Reaper {
  const child = spawn('/bin/sh', ['-c', REAPER_SCRIPT], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => {});
  const exited = new Promise<void>((resolve) => {
    if (child.pid === undefined) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const stdin = child.stdin!;
  stdin.on('error', () => {});
  // The reaper must never keep a finished process alive: neither the child nor its pipe holds the loop.
  child.unref();
  (stdin as unknown as { unref?: () => void }).unref?.();
  let open = true;
  const send = (line: string) => {
    if (open) stdin.write(`${line}\n`);
  };
  return {
    watch: (pgid) => send(`watch ${pgid}`),
    unwatch: (pgid) => send(`unwatch ${pgid}`),
    async dispose(timeoutMs = 2000) {
      if (open) {
        open = false;
        stdin.end();
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

/**
 * Starts `sh -c script` in its own process group reading a pipe from this process: the script sees end
 * of input when this process exits or dies, however it dies. The real node's crash teardown uses it
 * (devcluster/real-node/start.ts): a script of `while read -r _; do :; done; <cleanup>`.
 */
export function runOnDeath(script: string): { dispose(): void; disposed(timeoutMs?: number): Promise<void> } {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => {});
  const exited = new Promise<void>((resolve) => {
    if (child.pid === undefined) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.unref();
  // A live pipe keeps the event loop alive; it must never keep a finished process running.
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const dispose = () => {
    child.kill('SIGKILL');
  };
  return {
    dispose,
    /** Disposes and resolves once the script has exited and been reaped (bounded by `timeoutMs`). */
    async disposed(timeoutMs = 2000) {
      dispose();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

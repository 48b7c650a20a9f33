/**
 * The bench's child processes (UDP sink, OTLP sink, scraper, workers): spawn one, follow the JSON lines it
 * prints, wait for a line with a bound, and kill it. Every child of the bench is started here, so that every
 * one is also killed here: `kill()` is idempotent and used in `finally` blocks. A failing wait carries the
 * child's lines and stderr as evidence. Used by bench/emit.ts and bench/worker.ts.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One JSON line a child printed. */
export type ChildLine = Record<string, unknown> & { event: string };

/** A running child printing JSON lines on stdout. */
export interface BenchChild {
  readonly pid: number;
  readonly lines: ChildLine[];
  /** Writes one line to the child's stdin. */
  send(line: string): void;
  /** The first line (from the start) with this `event` and after `fromIndex`, or a rejection after `timeoutMs`. */
  waitFor(event: string, timeoutMs: number, fromIndex?: number): Promise<ChildLine>;
  /** Resolves with the exit code (or signal name), or rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number | string>;
  /** Closes stdin and SIGKILLs the child if it still runs. Idempotent. */
  kill(): void;
  /** stderr so far (the last 8 KB). */
  stderr(): string;
}

/** How to start a child: a TypeScript program of this repository run by this Node, optionally in a netns. */
export interface ChildSpec {
  /** Absolute path of the script. */
  script: string;
  args: string[];
  /** Extra Node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Run inside the network namespace of this pid (nsenter). */
  netnsOfPid?: number;
  /** Run inside a new private network namespace with loopback up (unshare). */
  privateNetns?: boolean;
}

/** True when this process may create network namespaces with loopback up (root or CAP_SYS_ADMIN); checked once. */
let netnsAllowed: boolean | undefined;
export function canUsePrivateNetns(): boolean {
  if (netnsAllowed === undefined) {
    netnsAllowed =
      process.platform === 'linux' &&
      spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up'], {
        stdio: 'ignore',
        timeout: 5000,
      }).status === 0 &&
      spawnSync('nsenter', ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  }
  return netnsAllowed;
}

function spawnChild(spec: ChildSpec): ChildProcess {
  const node = [...(spec.nodeFlags ?? []), spec.script, ...spec.args];
  const stdio: ['pipe', 'pipe', 'pipe'] = ['pipe', 'pipe', 'pipe'];
  if (spec.privateNetns) {
    // `exec` keeps one pid through unshare, sh and node, so the pid names the namespace's process.
    return spawn(
      'unshare',
      ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...node],
      { stdio },
    );
  }
  if (spec.netnsOfPid !== undefined) {
    return spawn('nsenter', [`--net=/proc/${spec.netnsOfPid}/ns/net`, '--', process.execPath, ...node], {
      stdio,
    });
  }
  return spawn(process.execPath, node, { stdio });
}

/** Starts a child and follows its JSON lines. */
export function startChild(spec: ChildSpec): BenchChild {
  const child = spawnChild(spec);
  const lines: ChildLine[] = [];
  let stderr = '';
  let exit: number | string | undefined;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  child.stdin!.on('error', () => {});
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as unknown;
      lines.push(
        typeof parsed === 'object' && parsed !== null && 'event' in parsed
          ? (parsed as ChildLine)
          : { event: 'not-an-event', line },
      );
    } catch {
      lines.push({ event: 'not-json', line });
    }
    notify();
  });
  child.on('error', (err) => {
    stderr += `\n${err.message}`;
    exit ??= 'spawn-error';
    notify();
  });
  child.on('exit', (code, signal) => {
    exit = code ?? signal ?? 'unknown';
    notify();
  });

  const evidence = () =>
    `\nlines: ${lines
      .slice(-10)
      .map((l) => JSON.stringify(l).slice(0, 300))
      .join('\n  ')}\nstderr: ${stderr.slice(-2000)}`;

  const waitUntil = <T>(get: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const v = get();
        if (v !== undefined) {
          done();
          resolve(v);
        } else if (exit !== undefined && what !== 'exit') {
          done();
          reject(new Error(`${spec.script} exited (${exit}) before ${what}${evidence()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${spec.script}: no ${what} within ${timeoutMs} ms${evidence()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    pid: child.pid ?? -1,
    lines,
    send: (line) => {
      if (exit === undefined) child.stdin!.write(`${line}\n`);
    },
    waitFor: (event, timeoutMs, fromIndex = 0) =>
      waitUntil(() => lines.slice(fromIndex).find((l) => l.event === event), `"${event}" line`, timeoutMs),
    exited: (timeoutMs) => waitUntil(() => exit, 'exit', timeoutMs),
    kill: () => {
      child.stdin!.end();
      if (exit === undefined) child.kill('SIGKILL');
    },
    stderr: () => stderr,
  };
}

/**
 * Test support for the producer's integration tests: writes a small spec file, spawns
 * `node bin/pushpull.js producer ...` as a real child process, follows its JSON lines, and makes sure it
 * is killed. Every wait is bounded; a failing wait reports the lines and stderr seen so far as evidence.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../testing/temp-dir.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'bin', 'pushpull.js');
const SINK = join(REPO, 'loadgen', 'testing', 'udp-sink.ts');

/** One JSON line the producer printed. */
export type ProducerLine = Record<string, unknown> & { event: string };

/** A spawned process printing JSON lines (the producer, the UDP sink). */
export interface ProducerProcess {
  child: ChildProcess;
  lines: ProducerLine[];
  stderr(): string;
  /** Resolves with the first line (from the start) whose event is `event`, or rejects after `timeoutMs`. */
  waitFor(event: string, timeoutMs?: number): Promise<ProducerLine>;
  /** Resolves with the exit code (signal name if killed), or rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | string>;
  /** SIGKILLs the process if it still runs (for `after` hooks). */
  kill(): void;
}

/** A temporary folder for one test's files (removed when the test file passes, kept when it fails). */
export async function tempDir(prefix: string): Promise<string> {
  return makeTempDir(prefix);
}

/** Writes a PushPullExperiment file around `specYaml` (the lines under `spec:`, indented two spaces). */
export async function writeSpec(dir: string, name: string, specYaml: string): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  const text = `apiVersion: pushpull.dev/v1alpha1\nkind: PushPullExperiment\nmetadata:\n  name: ${name}\nspec:\n${specYaml}`;
  await writeFile(path, text);
  return path;
}

/**
 * Spawns `pushpull producer` with `args` using this test's own Node (the project's Node 24); with
 * `netnsOfPid`, inside the network namespace of that process (nsenter execs, so the pid is Node's).
 */
export function spawnProducer(args: string[], netnsOfPid?: number): ProducerProcess {
  const argv = [BIN, 'producer', ...args];
  return followJsonLines(
    netnsOfPid === undefined
      ? spawn(process.execPath, argv, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('nsenter', [`--net=/proc/${netnsOfPid}/ns/net`, '--', process.execPath, ...argv], {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
  );
}

/** Follows a child that prints JSON lines. */
export function followJsonLines(child: ChildProcess): ProducerProcess {
  const lines: ProducerLine[] = [];
  let stderr = '';
  const waiters: Array<() => void> = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as ProducerLine);
    } catch {
      lines.push({ event: 'not-json', line });
    }
    notify();
  });
  let exit: number | string | undefined;
  child.on('exit', (code, signal) => {
    exit = code ?? signal ?? 'unknown';
    notify();
  });
  const evidence = () =>
    `\nlines so far:\n${lines.map((l) => JSON.stringify(l).slice(0, 400)).join('\n')}\nstderr:\n${stderr}`;

  const waitUntil = <T>(get: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${evidence()}`)),
        timeoutMs,
      );
      const check = () => {
        const v = get();
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
          return;
        }
        if (exit !== undefined && what !== 'exit') {
          clearTimeout(timer);
          reject(new Error(`producer exited (${exit}) before ${what}${evidence()}`));
          return;
        }
        waiters.push(check);
      };
      check();
    });

  return {
    child,
    lines,
    stderr: () => stderr,
    waitFor: (event, timeoutMs = 20_000) =>
      waitUntil(() => lines.find((l) => l.event === event), `"${event}"`, timeoutMs),
    exited: (timeoutMs = 20_000) => waitUntil(() => exit, 'exit', timeoutMs),
    kill: () => {
      if (exit === undefined) child.kill('SIGKILL');
    },
  };
}

/** GETs a URL on loopback and returns status and body. */
export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** POSTs JSON and returns status and parsed body. */
export async function httpPostJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** True when this machine lets us make a private network namespace (root, or CAP_SYS_ADMIN). */
export function canUnshareNet(): boolean {
  return spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status === 0;
}

/** The UDP sink process (loadgen/testing/udp-sink.ts). */
export interface UdpSink {
  proc: ProducerProcess;
  pid: number;
  port: number;
  /** True when the sink runs in its own network namespace: a quiet loopback whatever else runs. */
  privateNetns: boolean;
  /** The namespace's /proc/net/snmp, readable from here. */
  snmpPath: string;
  stall(ms: number): void;
  /** Datagrams received so far, once none arrived for `quietMs` (bounded by `timeoutMs`). */
  countWhenQuiet(quietMs: number, timeoutMs?: number): Promise<number>;
  close(): void;
}

/**
 * Starts the UDP sink with a receive buffer of `rcvbuf` bytes, in a private network namespace if `isolate`
 * and the machine allows it. Mind that the test itself cannot reach servers inside that namespace (a
 * producer's rig endpoint, say).
 */
export async function startUdpSink(rcvbuf: number, isolate: boolean): Promise<UdpSink> {
  const privateNetns = isolate && canUnshareNet();
  const args = [SINK, String(rcvbuf)];
  const child = privateNetns
    ? spawn(
        'unshare',
        ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...args],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      )
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const proc = followJsonLines(child);
  const listening = await proc.waitFor('listening', 10_000);
  const pid = child.pid!;
  const send = (line: string) => child.stdin!.write(`${line}\n`);
  return {
    proc,
    pid,
    port: listening.port as number,
    privateNetns,
    snmpPath: `/proc/${pid}/net/snmp`,
    stall: (ms) => send(`stall ${ms}`),
    async countWhenQuiet(quietMs, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const seen = proc.lines.length;
        send('count');
        const deadlineForReply = Date.now() + 5000;
        while (proc.lines.length === seen && Date.now() < deadlineForReply)
          await new Promise((r) => setTimeout(r, 10));
        const reply = proc.lines.at(-1)!;
        if (reply.event !== 'count') throw new Error(`udp sink: unexpected reply ${JSON.stringify(reply)}`);
        if ((reply.msSinceLast as number) >= quietMs || Date.now() > deadline)
          return reply.received as number;
        await new Promise((r) => setTimeout(r, quietMs));
      }
    },
    close: () => {
      child.stdin!.end();
      proc.kill();
    },
  };
}

/**
 * No orphans, against real processes: a parent (testdata/rig-parent.ts) starts children and
 * grandchildren under the Supervisor — one grandchild in its parent's group, one under a nested
 * Supervisor, a child that ignores SIGTERM. SIGKILL of the parent leaves none of them (nor a reaper)
 * within 5 s; SIGTERM while a start is still waiting rejects that start with the stop reason, refuses
 * later starts, and stops everything.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { descendantsOf, type ProcInfo, readProc, stillRunning } from '../testing/proc-table.ts';

const FIXTURE = new URL('./testdata/rig-parent.ts', import.meta.url).pathname;
/** What the brief promises: nothing of a SIGKILLed run is left after this long. */
const GONE_WITHIN_MS = 5_000;

let dir: string;
const spawned: ProcInfo[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pushpull-orphans-'));
});
after(() => {
  // Only if a test failed: never leave the fixture's processes running.
  for (const p of spawned.filter(stillRunning)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Parent {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line whose `event` is `event` (bounded by `timeoutMs`). */
  waitFor(event: string, timeoutMs: number): Promise<Record<string, unknown>>;
}

function startParent(mode: 'wait' | 'slow'): Parent {
  const proc = spawn(process.execPath, [FIXTURE, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let stderr = '';
  let partial = '';
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  proc.stdout?.setEncoding('utf8').on('data', (s: string) => {
    partial += s;
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      lines.push(JSON.parse(partial.slice(0, nl)) as Record<string, unknown>);
      partial = partial.slice(nl + 1);
      for (const w of waiters) w();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (event: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const line = lines.find((l) => l.event === event);
        if (line) {
          clearTimeout(timer);
          resolve(line);
        }
      };
      const timer = setTimeout(
        () => reject(new Error(`no ${event} line within ${timeoutMs / 1000}s; stderr:\n${stderr}`)),
        timeoutMs,
      );
      waiters.push(check);
      void exited.then(() =>
        setTimeout(() => reject(new Error(`the parent exited before ${event}; stderr:\n${stderr}`)), 100),
      );
      check();
    });
  return { proc, lines, exited, waitFor };
}

/** The run's processes: the parent and every descendant, remembered for cleanup. */
function snapshot(parent: Parent): ProcInfo[] {
  const self = readProc(parent.proc.pid ?? -1);
  const all = [...(self ? [self] : []), ...descendantsOf(parent.proc.pid ?? -1)];
  spawned.push(...all);
  return all;
}

/** Polls /proc until none of `procs` runs (bounded); returns those still running at the deadline. */
async function leftAfter(procs: readonly ProcInfo[], ms: number): Promise<ProcInfo[]> {
  const deadline = Date.now() + ms;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    if (!procs.some(stillRunning)) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return procs.filter(stillRunning);
}

const describeProcs = (ps: readonly ProcInfo[]) =>
  ps.map((p) => `${p.pid} (${p.state}) ${p.argv.join(' ').slice(0, 120)}`).join('\n  ');

describe('no process survives the supervisor', { timeout: 120_000 }, () => {
  it('leaves no child, grandchild or reaper within 5 s of a SIGKILL of the parent', async () => {
    const parent = startParent('wait');
    await parent.waitFor('ready', 60_000);
    const run = snapshot(parent);
    // The parent, its 3 children and their reaper; a grandchild in a child's group; the nested
    // supervisor's grandchild and reaper (setpriv execs into each program: no extra process).
    assert.ok(run.length >= 8, `expected at least 8 processes, saw:\n  ${describeProcs(run)}`);
    const nested = run.filter((p) => p.argv.some((a) => a.endsWith('nested-child.ts')));
    assert.equal(nested.length, 1, describeProcs(run));
    assert.ok(
      run.some((p) => p.ppid === nested[0]!.pid && p.pgid === p.pid && p.argv[0] === process.execPath),
      `the nested supervisor's grandchild leads its own group:\n  ${describeProcs(run)}`,
    );

    parent.proc.kill('SIGKILL');
    await parent.exited;
    const left = await leftAfter(run, GONE_WITHIN_MS);
    assert.deepEqual(
      left,
      [],
      `still running ${GONE_WITHIN_MS / 1000}s after the SIGKILL:\n  ${describeProcs(left)}`,
    );
  });

  it('stops everything on SIGTERM during a slow start; the start rejects with the stop reason', async () => {
    const parent = startParent('slow');
    await parent.waitFor('starting', 60_000);
    const run = snapshot(parent);
    assert.ok(
      run.some((p) => p.argv.some((a) => a.includes("event: 'waiting'"))),
      `the slow child runs:\n  ${describeProcs(run)}`,
    );

    parent.proc.kill('SIGTERM');
    // Far less than the slow child's 120 s ready timeout: only the stop can end the start this soon.
    const rejected = await parent.waitFor('start-rejected', 30_000);
    assert.equal(rejected.name, 'StartAbortedError');
    assert.equal(rejected.message, 'slow was stopped while it was starting: SIGTERM received');
    assert.equal(
      rejected.again,
      'StartAbortedError: late was not started: the run is stopping (SIGTERM received)',
    );
    assert.deepEqual(await parent.exited, { code: 1, signal: null });
    assert.ok(
      parent.lines.some((l) => l.event === 'signal' && l.signal === 'SIGTERM'),
      'the caller was told of the signal',
    );
    const left = await leftAfter(run, GONE_WITHIN_MS);
    assert.deepEqual(left, [], `still running after the parent stopped:\n  ${describeProcs(left)}`);
  });
});

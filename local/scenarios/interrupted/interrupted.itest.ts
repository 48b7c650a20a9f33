/**
 * Scenario interrupted, against the real collectors and the real CLI: `pushpull run` as a child
 * process, SIGINT (what Ctrl-C sends) three seconds into the load. The CLI stops every process it
 * started, writes a partial report.json whose outcome is `interrupted` and that says what is missing,
 * and exits 1; nothing of the run (processes, process groups, ports) is left behind. Then the same
 * with SIGTERM while the run is still starting its producers: the starts stop, the CLI exits 1. Last,
 * `kill -9` mid-run, which nothing in the CLI can catch: within 5 s no process of the run is left
 * (the supervisor's reaper and parent-death signal).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Report } from '../../../report/types.ts';
import { groupAlive, stillRunning } from '../../../testing/proc-table.ts';
import {
  assertNothingLeft,
  explain,
  keepEvidenceOnFailure,
  type ProcInfo,
  readProc,
  scenarioOutDir,
  scenarioSpecFile,
  watchDescendants,
} from '../harness.ts';

const PUSHPULL_BIN = new URL('../../../bin/pushpull.js', import.meta.url).pathname;
const INTERRUPT_AT_SECONDS = 3;
/** Far more than a stop needs (producers drain, collectors get 5 s each before SIGKILL). */
const EXIT_TIMEOUT_MS = 120_000;

/** What one signalled `pushpull run` left: its exit, its output, every process it started. */
interface SignalledRun {
  child: ChildProcess;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** Date.now() when the signal was sent (0: never). */
  signalledAt: number;
  stdout: string;
  stderr: string;
  started: ProcInfo[];
}

/**
 * Runs `pushpull run` on this scenario's spec and sends `signal` once its stderr so far satisfies
 * `when`; resolves after it exited, with every process seen while it ran.
 */
async function runAndSignal(
  outDir: string,
  signal: NodeJS.Signals,
  when: (stderr: string) => boolean,
  onSpawn: (child: ChildProcess) => void,
): Promise<SignalledRun> {
  const proc = spawn(
    process.execPath,
    [PUSHPULL_BIN, 'run', scenarioSpecFile('interrupted'), '--out', outDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  onSpawn(proc);
  const run: SignalledRun = {
    child: proc,
    exitCode: null,
    exitSignal: null,
    signalledAt: 0,
    stdout: '',
    stderr: '',
    started: [],
  };
  const self = readProc(proc.pid ?? -1);
  const watch = watchDescendants(proc.pid ?? -1);
  proc.stdout?.setEncoding('utf8').on('data', (s: string) => {
    run.stdout += s;
  });
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
    run.stderr += s;
    if (run.signalledAt === 0 && when(run.stderr)) {
      run.signalledAt = Date.now();
      proc.kill(signal);
    }
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pushpull run did not exit within ${EXIT_TIMEOUT_MS / 1000}s:\n${run.stderr}`)),
      EXIT_TIMEOUT_MS,
    );
    proc.once('exit', (code, sig) => {
      clearTimeout(timer);
      run.exitCode = code;
      run.exitSignal = sig;
      resolve();
    });
  });
  run.started = [...(self ? [self] : []), ...watch.stop()];
  return run;
}

/** Never leave the CLI or its groups running, should a test fail early. */
function killLeftovers(child: ChildProcess | undefined, started: readonly ProcInfo[]): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // Only groups the run's own processes lead (the supervisor starts each child as one); the CLI
  // itself and short-lived helpers share this test's group, which must not be signalled.
  for (const p of started.filter((q) => q.pgid === q.pid && q.pgid !== process.pid)) {
    try {
      process.kill(-p.pgid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
}

describe('scenario interrupted: Ctrl-C (SIGINT) to `pushpull run` mid-run', { timeout: 180_000 }, () => {
  const outDir = scenarioOutDir('interrupted');
  let child: ChildProcess | undefined;
  let started: ProcInfo[] = [];
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let interruptedAt = 0;
  let stdout = '';
  let stderr = '';
  let report: Report;

  before(async () => {
    const run = await runAndSignal(
      outDir,
      'SIGINT',
      (err) => {
        const t = [...err.matchAll(/\] t\+(\d+)s phase/g)].pop();
        return t !== undefined && Number(t[1]) >= INTERRUPT_AT_SECONDS;
      },
      (c) => {
        child = c;
      },
    );
    ({ exitCode, exitSignal, stdout, stderr, started } = run);
    interruptedAt = run.signalledAt;
    const json = join(outDir, 'report.json');
    assert.ok(existsSync(json), `no report.json in ${outDir}\nstderr:\n${stderr}`);
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  });
  after(() => killLeftovers(child, started));
  keepEvidenceOnFailure(() => outDir);

  it('was interrupted during the load and exited with status 1', () => {
    assert.ok(interruptedAt > 0, `the load never started:\n${stderr}`);
    assert.equal(exitSignal, null, `killed by ${exitSignal}\n${stderr}`);
    assert.equal(exitCode, 1, stderr);
    assert.match(stderr, /stopping: SIGINT received/);
    assert.match(stderr, /the run was interrupted; the report says what is missing/);
    assert.match(stdout, /report: .*report\.md/);
  });

  it('writes a report.json whose outcome is interrupted and that says what is missing', () => {
    const run = { outDir, report };
    assert.equal(report.run.outcome, 'interrupted', explain(run));
    assert.ok(
      report.run.missing.some((m) =>
        /the run stopped early at .*\(SIGINT received\), .* into phase steady: .* of the 40 s of load did not run/.test(
          m,
        ),
      ),
      explain(run),
    );
    assert.ok(
      Date.parse(report.run.cutoffAt ?? '') < Date.parse(report.run.loadEndAt ?? ''),
      'cut off before the load ended',
    );
    assert.equal(report.verdict.answer, 'inconclusive', explain(run));
    assert.match(report.verdict.sentence, /the run was interrupted/);
    assert.ok(existsSync(join(outDir, 'report.md')) && existsSync(join(outDir, 'report.html')));
  });

  it('still measured what ran before the interrupt, with closed books', () => {
    const run = { outDir, report };
    assert.ok((report.arms.pull?.eventsGenerated.value ?? 0) > 0, explain(run));
    assert.equal(report.arms.statsd?.books.unaccounted.value, 0, explain(run));
    assert.equal(
      report.arms.otlp?.pointsAccepted.value,
      report.arms.otlp?.pointsExported.value,
      explain(run),
    );
  });

  it('leaves no process, process group or port behind', () => {
    assert.ok(started.length >= 6, `only ${started.length} processes were seen: ${JSON.stringify(started)}`);
    assertNothingLeft(outDir, started);
  });
});

describe('scenario interrupted: SIGTERM to `pushpull run` while it is starting producers', {
  timeout: 180_000,
}, () => {
  const outDir = scenarioOutDir('interrupted-starting');
  let run: SignalledRun | undefined;
  let child: ChildProcess | undefined;

  before(async () => {
    run = await runAndSignal(
      outDir,
      'SIGTERM',
      (err) => /starting producers/.test(err),
      (c) => {
        child = c;
      },
    );
  });
  after(() => killLeftovers(child, run?.started ?? []));
  keepEvidenceOnFailure(() => outDir);

  it('stops before the load is armed and exits with status 1', () => {
    assert.ok(run && run.signalledAt > 0, `the producers never started:\n${run?.stderr}`);
    assert.equal(run.exitSignal, null, `killed by ${run.exitSignal}\n${run.stderr}`);
    assert.equal(run.exitCode, 1, run.stderr);
    assert.match(run.stderr, /stopping: SIGTERM received/);
    assert.doesNotMatch(run.stderr, /armed \d+ producer processes/);
    assert.ok(
      readdirSync(join(outDir, 'logs')).some((f) => f.startsWith('producer-')),
      'the producers had been started',
    );
  });

  it('says in its report that nothing was measured, and why', () => {
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as Report;
    assert.equal(report.run.outcome, 'interrupted');
    assert.ok(
      report.run.missing.some((m) => /stopped before the load was scheduled \(SIGTERM received\)/.test(m)),
      report.run.missing.join('\n'),
    );
  });

  it('leaves no process, process group or port behind', () => {
    assert.ok(run, 'the run happened');
    assertNothingLeft(outDir, run.started);
  });
});

describe('scenario interrupted: kill -9 of `pushpull run` mid-run', { timeout: 180_000 }, () => {
  const outDir = scenarioOutDir('interrupted-killed');
  let run: SignalledRun | undefined;
  let child: ChildProcess | undefined;

  before(async () => {
    run = await runAndSignal(
      outDir,
      'SIGKILL',
      (err) => /\] t\+\d+s phase/.test(err),
      (c) => {
        child = c;
      },
    );
  });
  after(() => killLeftovers(child, run?.started ?? []));
  keepEvidenceOnFailure(() => outDir);

  it('leaves no process, process group or port of the run within 5 s', async () => {
    assert.ok(run && run.signalledAt > 0, `the load never started:\n${run?.stderr}`);
    assert.equal(run.exitSignal, 'SIGKILL');
    assert.ok(run.started.length >= 6, `only ${run.started.length} processes were seen`);
    // Bounded: 50 looks over 5 s, then the full check (processes, groups, argv, ports) must hold. A
    // killed orphan is a zombie until init reaps it, and its group counts as alive until then.
    const groups = run.started.filter((p) => p.pgid === p.pid && p.pgid !== process.pid).map((p) => p.pgid);
    for (let i = 0; i < 50 && Date.now() - run.signalledAt < 5_000; i++) {
      if (!run.started.some(stillRunning) && !groups.some(groupAlive)) break;
      await sleep(100);
    }
    assertNothingLeft(outDir, run.started);
  });
});

/**
 * Scenario interrupted, against the real collectors and the real CLI: `pushpull run` as a child
 * process, SIGINT (what Ctrl-C sends) three seconds into the load. The CLI stops every process it
 * started, writes a partial report.json whose outcome is `interrupted` and that says what is missing,
 * and exits 1; nothing of the run (processes, process groups, ports) is left behind.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../../report/types.ts';
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
    const proc = spawn(
      process.execPath,
      [PUSHPULL_BIN, 'run', scenarioSpecFile('interrupted'), '--out', outDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    const self = readProc(proc.pid ?? -1);
    const watch = watchDescendants(proc.pid ?? -1);
    proc.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      const t = [...stderr.matchAll(/\] t\+(\d+)s phase/g)].pop();
      if (t && Number(t[1]) >= INTERRUPT_AT_SECONDS && interruptedAt === 0) {
        interruptedAt = Date.now();
        proc.kill('SIGINT');
      }
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`pushpull run did not exit within ${EXIT_TIMEOUT_MS / 1000}s:\n${stderr}`)),
        EXIT_TIMEOUT_MS,
      );
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        exitCode = code;
        exitSignal = signal;
        resolve();
      });
    });
    started = [...(self ? [self] : []), ...watch.stop()];
    const json = join(outDir, 'report.json');
    assert.ok(existsSync(json), `no report.json in ${outDir}\nstderr:\n${stderr}`);
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  });
  after(() => {
    // Only if the test itself failed early: never leave the CLI or its groups running.
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
  });
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

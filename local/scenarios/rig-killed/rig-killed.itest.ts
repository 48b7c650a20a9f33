/**
 * Scenario rig-killed, against the real collectors and the real CLI: `pushpull run` as a child process,
 * SIGKILLed a few seconds into the load — it gets no chance to stop anything or write a report. Within
 * 5 s no process of the run is left (the supervisor's reaper and pdeathsig); then `pushpull report DIR`
 * rebuilds the report from what the run kept, with outcome crashed, the figures measured before the
 * kill, and the push arms' books up to the last ledger poll.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Report } from '../../../report/types.ts';
import {
  explain,
  keepEvidenceOnFailure,
  type ProcInfo,
  readProc,
  scenarioOutDir,
  scenarioSpecFile,
  watchDescendants,
} from '../harness.ts';

const PUSHPULL_BIN = new URL('../../../bin/pushpull.js', import.meta.url).pathname;
const KILL_AT_SECONDS = 5;
const GONE_WITHIN_MS = 5000;

describe('scenario rig-killed: SIGKILL of `pushpull run` mid-run', { timeout: 240_000 }, () => {
  const outDir = scenarioOutDir('rig-killed');
  let child: ChildProcess | undefined;
  let started: ProcInfo[] = [];
  let killedAt = 0;
  let leftAfterMs: ProcInfo[] = [];
  let stderr = '';
  let recoverOutput = '';
  let report: Report;

  before(async () => {
    const proc = spawn(
      process.execPath,
      [PUSHPULL_BIN, 'run', scenarioSpecFile('rig-killed'), '--out', outDir],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child = proc;
    const self = readProc(proc.pid ?? -1);
    const watch = watchDescendants(proc.pid ?? -1);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the load never reached t+${KILL_AT_SECONDS}s:\n${stderr}`)),
        120_000,
      );
      proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
        const t = [...stderr.matchAll(/\] t\+(\d+)s phase/g)].pop();
        if (t && Number(t[1]) >= KILL_AT_SECONDS && killedAt === 0) {
          killedAt = Date.now();
          proc.kill('SIGKILL');
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await exited;
    started = [...(self ? [self] : []), ...watch.stop()];
    // Bounded: poll the process table until every process of the run is gone, or the limit passes.
    const alive = (p: ProcInfo) => {
      const now = readProc(p.pid);
      return now !== null && now.startTicks === p.startTicks && now.state !== 'Z';
    };
    for (let i = 0; i < GONE_WITHIN_MS / 100; i++) {
      leftAfterMs = started.filter(alive);
      if (leftAfterMs.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { stdout, stderr: err } = await promisify(execFile)(
      process.execPath,
      [PUSHPULL_BIN, 'report', outDir],
      {
        timeout: 120_000,
      },
    );
    recoverOutput = stdout + err;
    const json = join(outDir, 'report.json');
    assert.ok(existsSync(json), `no report.json rebuilt in ${outDir}\n${recoverOutput}`);
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  });
  after(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const p of started.filter((q) => q.pgid === q.pid && q.pgid !== process.pid)) {
      try {
        process.kill(-p.pgid, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
  });
  keepEvidenceOnFailure(() => outDir);

  it(`leaves no process of the run within ${GONE_WITHIN_MS / 1000} s of the kill`, () => {
    assert.ok(killedAt > 0);
    assert.ok(started.length >= 6, `only ${started.length} processes were seen`);
    assert.deepEqual(
      leftAfterMs.map((p) => `${p.pid} ${p.argv.join(' ').slice(0, 120)}`),
      [],
      'processes of the killed run still running',
    );
  });

  it('rebuilds a report with outcome crashed that says what could not be recovered', () => {
    const run = { outDir, report };
    assert.match(recoverOutput, /rebuilding it from its TSDBs and ledger polls/);
    assert.equal(report.run.outcome, 'crashed', explain(run));
    assert.ok(
      report.run.missing.some((m) => /was killed during stage load/.test(m)),
      explain(run),
    );
    assert.equal(report.verdict.answer, 'inconclusive', explain(run));
    assert.ok(existsSync(join(outDir, 'report.md')) && existsSync(join(outDir, 'report.html')));
  });

  it('keeps the figures measured before the kill and the push books up to the last ledger poll', () => {
    const run = { outDir, report };
    assert.ok((report.arms.pull?.eventsGenerated.value ?? 0) > 0, explain(run));
    assert.ok((report.arms.pull?.scrapeDurationSeconds.p99.value ?? 0) > 0, explain(run));
    assert.ok((report.arms.statsd?.books.sent.value ?? 0) > 0, explain(run));
    assert.ok((report.arms.statsd?.books.received.value ?? 0) > 0, explain(run));
    assert.ok((report.arms.otlp?.pointsExported.value ?? 0) > 0, explain(run));
  });
});

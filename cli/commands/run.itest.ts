/**
 * `pushpull run` end to end with expectations: the real CLI in a child process, the real collectors on
 * loopback. A spec whose expectation fails exits 3 (EXIT_EXPECTATIONS_FAILED) and both the terminal
 * and the report say which expectation failed, with the measured value and its source.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../report/types.ts';
import { EXIT_EXPECTATIONS_FAILED } from './run.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('a run whose expectation fails exits 3 and the report names it with the measured value', {
  timeout: 180_000,
}, async () => {
  const out = mkdtempSync(join(tmpdir(), 'pushpull-run-expect-'));
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['bin/pushpull.js', 'run', 'cli/commands/testdata/expectation-fails.yaml', '--out', out],
      { cwd: root, timeout: 150_000, killSignal: 'SIGINT' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
  const evidence = `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}\noutput kept in ${out}`;
  assert.equal(run.code, EXIT_EXPECTATIONS_FAILED, evidence);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.run.outcome, 'completed', evidence);
  const [loss, unaccounted] = report.expectations ?? [];
  assert.equal(loss?.outcome, 'fail', evidence);
  assert.ok((loss.measured.value ?? 0) > 0.001, evidence);
  assert.equal(loss.measured.source, report.arms.statsd!.lossRatio.source);
  assert.equal(unaccounted?.outcome, 'pass', evidence);
  assert.match(run.stdout, /statsd\.lossRatio <= 0\.1%: FAIL, measured \d/);
  assert.match(
    readFileSync(join(out, 'report.md'), 'utf8'),
    /\| `statsd\.lossRatio` \| \\<= 0\.1% \| [\d.]+% \| \*\*FAIL\*\* \|/,
  );
  // Reached only when every assertion held: a failing run keeps its output for inspection.
  rmSync(out, { recursive: true, force: true });
});

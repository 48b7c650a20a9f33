/**
 * `pushpull validate` end to end: the real CLI entry point in a child process, its output and exit
 * codes. Each child is bounded by a timeout and killed by execFile when it runs over.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CliRun, runPushpull } from '../../testing/run-cli.ts';

type Run = CliRun;
const pushpull = runPushpull;

const noStack = (run: Run) => {
  assert.doesNotMatch(`${run.stdout}${run.stderr}`, /\n\s+at .+:\d+:\d+\)?\n/, 'a stack trace was printed');
};

test('valid examples print one ✓ summary line each and exit 0', async () => {
  const run = await pushpull('validate', 'examples/quick.yaml', 'examples/small-buffer.yaml');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n'), [
    '✓ examples/quick.yaml (quick, arms pull+statsd+otlp, 14 producers per arm in 1 process, 70 s in total)',
    '✓ examples/small-buffer.yaml (small-buffer, arms statsd, 14 producers per arm in 1 process, 25 s in total)',
  ]);
  assert.equal(run.stderr, '');
});

test('an invalid file prints every error as file:line:column: path: message and exits 1', async () => {
  const file = 'api/v1alpha1/testdata/invalid/phase-rules.yaml';
  const run = await pushpull('validate', 'examples/quick.yaml', file);
  assert.equal(run.code, 1);
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0]!, /^✓ examples\/quick\.yaml /);
  assert.deepEqual(
    lines.slice(1).map((line) => line.split(': ')[0]),
    [`${file}:17:22`, `${file}:18:18`, `${file}:19:15`],
  );
  assert.match(
    lines[1]!,
    /: spec\.load\.phases\[1\]\.rampSeconds: 8 exceeds the phase's durationSeconds \(5\)/,
  );
  noStack(run);
});

test('a YAML syntax error names the line and exits 1', async () => {
  const run = await pushpull('validate', 'api/v1alpha1/testdata/invalid/syntax-error.yaml');
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^api\/v1alpha1\/testdata\/invalid\/syntax-error\.yaml:11:3: YAML syntax error: /);
  noStack(run);
});

test('an unreadable file is a clear message on stderr and exit 2, and the other files are still checked', async () => {
  const run = await pushpull('validate', 'no/such/file.yaml', 'examples/quick.yaml');
  assert.equal(run.code, 2);
  assert.equal(run.stderr, 'pushpull validate: cannot read no/such/file.yaml: no such file\n');
  assert.match(run.stdout, /^✓ examples\/quick\.yaml /);
  noStack(run);
});

test('no file at all is a usage error, exit 2', async () => {
  const run = await pushpull('validate');
  assert.equal(run.code, 2);
  assert.match(run.stderr, /name at least one spec file/);
  noStack(run);
});

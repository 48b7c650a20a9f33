/**
 * The capacity check end to end: the real CLI (`pushpull run`, `pushpull validate --machine`) on a spec no
 * machine here can hold — 100,000 producers, one per process — is refused before anything starts, with
 * what it would need and what this machine has. Each child is bounded by a timeout.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPushpull } from '../../testing/run-cli.ts';
import { makeTempDir } from '../../testing/temp-dir.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const pushpull = runPushpull;

function impossibleSpec(dir: string): string {
  const quick = readFileSync(join(root, 'examples/quick.yaml'), 'utf8');
  const text = quick
    .replace(/scale: 0\.01/, 'scale: 1')
    .replace(/producers: 1400/, 'producers: 100000')
    .replace(/producersPerProcess: 50/, 'producersPerProcess: 1');
  const file = join(dir, 'impossible.yaml');
  writeFileSync(file, text);
  return file;
}

test('pushpull run refuses 100,000 single-producer processes before starting anything', async () => {
  const dir = makeTempDir('capacity');
  const out = join(dir, 'out');
  const run = await pushpull('run', impossibleSpec(dir), '--out', out);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /this machine cannot run the spec; nothing was started/);
  assert.match(
    run.stderr,
    /memory: needs at least [\d.]+ TiB \(300,000 producer processes at \d+–\d+ MiB each\), this machine has [\d.]+ GiB available/,
  );
  assert.match(run.stderr, /cpu: needs [\d.]+ cores .* this machine has \d+ cores/);
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'a stack trace was printed');
  // Nothing was started: not even the output directory, where every collector's log would be.
  assert.equal(existsSync(out), false);
});

test('pushpull validate --machine says whether each spec fits here, exit 1 when one does not', async () => {
  const dir = makeTempDir('capacity');
  const fits = await pushpull('validate', '--machine', 'examples/quick.yaml');
  assert.equal(fits.code, 0, fits.stdout);
  assert.match(fits.stdout, /^ {2}fits this machine$/m);
  const refused = await pushpull('validate', '--machine', impossibleSpec(dir));
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(refused.stdout, /does NOT fit this machine/);
  assert.match(refused.stdout, /does not fit: memory: needs at least/);
});

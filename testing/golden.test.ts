import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertGolden } from './golden.ts';

test('a golden mismatch names the first differing line', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'golden-')), 'x.txt');
  writeFileSync(file, 'a\nb\nc\n');
  assertGolden(file, 'a\nb\nc\n');
  assert.throws(() => assertGolden(file, 'a\nB\nc\n'), /at line 2:\n {2}now: {4}B\n {2}golden: b/);
  assert.equal(readFileSync(file, 'utf8'), 'a\nb\nc\n');
});

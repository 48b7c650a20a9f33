/**
 * The corpus of malformed specs: each api/v1alpha1/testdata/invalid/NAME.yaml must be rejected with exactly
 * the lines in NAME.expected.txt (as `pushpull validate` prints them). `UPDATE_GOLDEN=1` rewrites the
 * expected files from the current output; review the diff before committing it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSpecText } from './load.ts';
import { formatSpecError } from './validate.ts';

const dir = new URL('./testdata/invalid/', import.meta.url);
const update = process.env.UPDATE_GOLDEN === '1';
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

test('the invalid corpus is not empty', () => {
  assert.ok(files.length >= 10, `only ${files.length} files in api/v1alpha1/testdata/invalid`);
});

for (const name of files) {
  test(`${name} is rejected with the expected messages`, () => {
    const result = parseSpecText(readFileSync(new URL(name, dir), 'utf8'), name);
    assert.equal(result.ok, false, `${name} validated, but it is in the invalid corpus`);
    const actual = `${result.ok ? '' : result.errors.map(formatSpecError).join('\n')}\n`;
    const expectedUrl = new URL(name.replace(/\.yaml$/, '.expected.txt'), dir);
    if (update) writeFileSync(expectedUrl, actual);
    assert.ok(existsSync(expectedUrl), `missing ${expectedUrl.pathname}; run with UPDATE_GOLDEN=1`);
    assert.equal(actual, readFileSync(expectedUrl, 'utf8'));
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGolden } from '../../testing/golden.ts';
import { renderSpecReference } from './reference.ts';

const DOC = new URL('../../docs/spec.md', import.meta.url);

test('docs/spec.md is the reference rendered from the schema (UPDATE_GOLDEN=1 rewrites it)', () => {
  assertGolden(DOC, renderSpecReference());
});

test('every spec field is documented with a description', () => {
  const rows = renderSpecReference()
    .split('\n')
    .filter((l) => l.startsWith('| `spec.'));
  assert.ok(rows.length > 30);
  for (const row of rows) assert.doesNotMatch(row, /\| $/, `no description: ${row}`);
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderSpecReference } from './reference.ts';

const DOC = new URL('../docs/spec.md', import.meta.url);

test('docs/spec.md is the reference rendered from the schema (UPDATE_GOLDEN=1 rewrites it)', () => {
  const rendered = renderSpecReference();
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(DOC, rendered);
  assert.equal(
    readFileSync(DOC, 'utf8'),
    rendered,
    'docs/spec.md is stale: run UPDATE_GOLDEN=1 node --test spec/reference.test.ts',
  );
});

test('every spec field is documented with a description', () => {
  const rows = renderSpecReference()
    .split('\n')
    .filter((l) => l.startsWith('| `spec.'));
  assert.ok(rows.length > 30);
  for (const row of rows) assert.doesNotMatch(row, /\| $/, `no description: ${row}`);
});

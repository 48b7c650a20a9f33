import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGolden } from '../testing/golden.ts';
import { renderReportReference, reportFieldTables } from './reference.ts';

const DOC = new URL('../docs/report.md', import.meta.url);

test('docs/report.md is the reference rendered from the schema (UPDATE_GOLDEN=1 rewrites it)', () => {
  assertGolden(DOC, renderReportReference());
});

test('every report.json field is documented with a description', () => {
  const { report, figure, signal } = reportFieldTables();
  assert.ok(report.length > 80, `${report.length} rows`);
  for (const row of [...report, ...figure, ...signal])
    assert.notEqual(row.description, '', `no description: ${row.path}`);
});

/**
 * Golden files and fixtures for the report tests. `UPDATE_GOLDEN=1` rewrites a golden file instead of
 * comparing it (review the diff), as prometheus-operator's `-update` flag does.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Report } from '../types.ts';

/** The fixture reports, report/testdata/<name>.json. */
export const FIXTURES = ['no-stress', 'statsd-small-buffer', 'pull-timeouts'] as const;

export function loadFixture(name: string): Report {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as Report;
}

/** Compares `actual` with report/testdata/<file>, or rewrites it when UPDATE_GOLDEN=1. */
export function assertGolden(file: string, actual: string): void {
  const path = new URL(`./${file}`, import.meta.url).pathname;
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `${file} differs from its golden file (UPDATE_GOLDEN=1 updates it)`,
  );
}

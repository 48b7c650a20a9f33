/**
 * Golden files and fixtures for the report tests. `UPDATE_GOLDEN=1` rewrites a golden file instead of
 * comparing it (review the diff), as prometheus-operator's `-update` flag does.
 */
import { readFileSync } from 'node:fs';
import { assertGolden as assertGoldenFile } from '../../testing/golden.ts';
import type { Report } from '../types.ts';

/** The fixture reports, report/testdata/<name>.json. */
export const FIXTURES = ['no-stress', 'statsd-small-buffer', 'pull-timeouts'] as const;

export function loadFixture(name: string): Report {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as Report;
}

/** Compares `actual` with report/testdata/<file>, or rewrites it when UPDATE_GOLDEN=1. */
export function assertGolden(file: string, actual: string): void {
  assertGoldenFile(new URL(`./${file}`, import.meta.url), actual);
}

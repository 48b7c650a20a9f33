/**
 * Golden-file assertion for the local runtime's rendered configs (tests only). `UPDATE_GOLDEN=1` rewrites
 * the file instead of comparing, the way prometheus-operator's `-update` flag does; review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Compares `actual` with `local/testdata/<name>`, or rewrites it when UPDATE_GOLDEN=1. */
export function assertGolden(name: string, actual: string): void {
  const path = new URL(`./testdata/${name}`, import.meta.url).pathname;
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `${name} differs from its golden file (UPDATE_GOLDEN=1 updates it)`,
  );
}

/**
 * The one golden-file assertion of the test suites (rendered configs, manifests, the CRD, reports,
 * docs generated from the schema). `UPDATE_GOLDEN=1` rewrites the file instead of comparing, the way
 * prometheus-operator's `-update` flag does: review the diff before committing it. A mismatch names
 * the first differing line rather than dumping both texts (goldens run to tens of kilobytes).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Compares `actual` with the golden file at `file` (a path or file: URL), or rewrites it in update mode. */
export function assertGolden(file: string | URL, actual: string): void {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(path, 'utf8');
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, n) => line !== e[n]);
  const at = i === -1 ? a.length : i;
  assert.fail(
    `stale golden file ${path} at line ${at + 1}:\n  now:    ${a[at] ?? '(end)'}\n  golden: ${e[at] ?? '(end)'}\nrerun with UPDATE_GOLDEN=1 and review the diff`,
  );
}

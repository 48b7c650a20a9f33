/**
 * The image holds every folder the program runs: each top-level folder with code that is not only tests
 * (the CLI imports them at run time) is COPYed by the Dockerfile, which both the Docker build and the
 * real node's image builder (devcluster/real-node/images.ts) follow. A new folder missing here would
 * only fail inside a pod.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dockerfileCopies } from '../devcluster/real-node/images.ts';

const ROOT = join(import.meta.dirname, '..');
/** Folders of test helpers only: nothing the program imports. */
const TEST_ONLY = new Set(['testing', 'test-e2e', 'node_modules', 'out']);

function hasProgramCode(dir: string): boolean {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'testdata' && hasProgramCode(path)) return true;
    } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.itest.ts')) {
      return true;
    }
  }
  return false;
}

test('the Dockerfile COPYs every folder with program code', () => {
  const folders = readdirSync(ROOT)
    .filter((d) => !d.startsWith('.') && !TEST_ONLY.has(d) && statSync(join(ROOT, d)).isDirectory())
    .filter((d) => hasProgramCode(join(ROOT, d)));
  const copied = new Set(dockerfileCopies(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')));
  assert.deepEqual(
    folders.filter((d) => !copied.has(d)),
    [],
  );
});

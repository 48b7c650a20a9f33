/**
 * Temporary folders for tests that keep their evidence: a folder is removed when the test process
 * exits cleanly, and kept (its path printed) when a test failed, so the logs and files in it can be
 * read. Node's test runner runs each test file in its own process, so "the process" is one file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];
let hooked = false;

function cleanUp(): void {
  const failed = (process.exitCode ?? 0) !== 0;
  for (const dir of dirs) {
    if (failed) process.stderr.write(`kept for inspection: ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** A new folder under the system temp dir named `pushpull-<prefix>-XXXXXX`. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pushpull-${prefix}-`));
  dirs.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', cleanUp);
  }
  return dir;
}

/**
 * The output directory of `pushpull run`, checked before anything starts: it is created (or found) and
 * a probe file is written and removed, so a path that is a file, a folder this user cannot write, a
 * read-only or full disk is refused with a sentence (errors/system-error.ts) instead of failing minutes
 * later with a raw `ENOTDIR`. Called by cli/commands/run.ts.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { explainSystemError } from '../errors/system-error.ts';
import { UsageError } from '../errors/usage-error.ts';

const PROBE = '.pushpull-write-check';

/** The nearest existing path at or above `path`, and whether it is a directory. */
function nearestExisting(path: string): { path: string; isDirectory: boolean } | undefined {
  let at = resolve(path);
  for (let depth = 0; depth < 256; depth++) {
    try {
      return { path: at, isDirectory: statSync(at).isDirectory() };
    } catch {
      const up = dirname(at);
      if (up === at) return undefined;
      at = up;
    }
  }
  return undefined;
}

/** Makes sure `outDir` is a directory this process can write to; throws a UsageError that says why not. */
export function prepareOutputDir(outDir: string, option = '--out'): void {
  const refuse = (err: unknown): never => {
    const isRoot = process.getuid?.() === 0;
    const found = nearestExisting(outDir);
    const sentence = explainSystemError(err, {
      path: outDir,
      option,
      isRoot,
      ...(found?.isDirectory ? { nearestDirectory: found.path } : found ? { blockingFile: found.path } : {}),
    });
    throw new UsageError(
      `${sentence ?? `${outDir} (${option}) cannot be used: ${String(err)}`} Nothing was started.`,
    );
  };
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    refuse(err);
  }
  const probe = join(outDir, PROBE);
  try {
    writeFileSync(probe, 'pushpull checks that it can write here\n');
  } catch (err) {
    refuse(err);
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Puts images into the node's containerd without a registry: each spec is written as a docker-archive
 * under the node dir and loaded with `ctr -n k8s.io images import` (the namespace the kubelet's CRI
 * uses). Works from any process: the node is found by its layout's socket. Called by start.ts (pause),
 * `pushpull dev-cluster images` and the e2e.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ImageArchive, type ImageSpec, writeImageArchive } from './image-archive.ts';

const run = promisify(execFile);

/** Where the node's containerd is and where archives go. */
export interface ImportTarget {
  /** tools/node-debs.sh's folder (bin/ctr). */
  debs: string;
  containerdSocket: string;
  imagesDir: string;
}

/** Pure: the archive file of an image name. */
export function archiveFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.tar`;
}

/** Builds each image's archive and imports it; returns what was written, with the time each took. */
export async function importImages(
  t: ImportTarget,
  specs: readonly ImageSpec[],
): Promise<(ImageArchive & { buildMs: number; importMs: number })[]> {
  await mkdir(t.imagesDir, { recursive: true });
  const out: (ImageArchive & { buildMs: number; importMs: number })[] = [];
  for (const s of specs) {
    const t0 = Date.now();
    const archive = writeImageArchive(s, join(t.imagesDir, archiveFileName(s.name)));
    const t1 = Date.now();
    await run(
      join(t.debs, 'bin', 'ctr'),
      ['--address', t.containerdSocket, '-n', 'k8s.io', 'images', 'import', archive.path],
      { timeout: 300_000, maxBuffer: 16 << 20 },
    );
    out.push({ ...archive, buildMs: t1 - t0, importMs: Date.now() - t1 });
  }
  return out;
}

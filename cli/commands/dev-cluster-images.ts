/**
 * `pushpull dev-cluster images`: builds the workload's images without Docker (the project's image as
 * the Dockerfile describes it, the collectors from their static binaries; devcluster/real-node/images.ts)
 * and imports them into the real node of `--dir`, or with `--out` only writes the docker-archives
 * (for `kind load image-archive`). Called by cli/commands/dev-cluster.ts and the e2e.
 */
import { join, resolve } from 'node:path';
import { DevClusterError } from '../../devcluster/errors.ts';
import { locateNodeBinaries } from '../../devcluster/real-node/binaries.ts';
import { type ImageSpec, writeImageArchive } from '../../devcluster/real-node/image-archive.ts';
import { collectorImages, pushpullImage } from '../../devcluster/real-node/images.ts';
import { archiveFileName, importImages } from '../../devcluster/real-node/import.ts';
import { DEFAULT_IMAGES } from '../../operator/images.ts';

const REPO_ROOT = new URL('../..', import.meta.url).pathname;

/** The images every experiment's workload needs, under the operator's default names. */
export function workloadImageSpecs(): ImageSpec[] {
  return [pushpullImage(REPO_ROOT, DEFAULT_IMAGES.pushpull), ...collectorImages(DEFAULT_IMAGES)];
}

/** Builds the images; imports them into the node of `dir`, or writes archives into `out`. */
export async function buildImages(o: {
  dir: string;
  out?: string;
  log: (line: string) => void;
}): Promise<void> {
  const specs = workloadImageSpecs();
  if (o.out) {
    for (const s of specs) {
      const a = writeImageArchive(s, join(resolve(o.out), archiveFileName(s.name)));
      o.log(`${a.name}: ${a.path} (${(a.layerBytes / 1e6).toFixed(1)} MB)`);
    }
    return;
  }
  const found = locateNodeBinaries();
  if ('missing' in found) throw new DevClusterError(found.missing);
  const root = join(resolve(o.dir), 'real-node');
  const done = await importImages(
    {
      debs: found.binaries.debs,
      containerdSocket: join(root, 'containerd', 'containerd.sock'),
      imagesDir: join(root, 'images'),
    },
    specs,
  );
  for (const a of done)
    o.log(
      `${a.name}: ${(a.layerBytes / 1e6).toFixed(1)} MB, built in ${(a.buildMs / 1000).toFixed(1)}s, imported in ${(a.importMs / 1000).toFixed(1)}s`,
    );
}

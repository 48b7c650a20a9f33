/**
 * Container images without Docker or a registry: a root filesystem described as a list of items
 * (host files, folders, literal files, symlinks) is written as one layer and wrapped in a
 * docker-archive (manifest.json + config + layer.tar), the format `ctr images import` and
 * `kind load image-archive` both read. Called by images.ts; the tar format itself is in tar.ts.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { type TarEntry, TarWriter } from './tar.ts';

/** One thing in an image's root filesystem (paths are absolute inside the image). */
export type RootfsItem =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; source: string; mode?: number }
  | { kind: 'content'; path: string; data: string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  /** A host folder copied recursively (symlinks kept as symlinks); `skip` names entries left out. */
  | { kind: 'tree'; path: string; source: string; skip?: readonly string[] };

/** The runtime settings of an image (the OCI/Docker image config's `config`). */
export interface ImageRuntime {
  Entrypoint: string[];
  Cmd?: string[];
  User: string;
  Env: string[];
  WorkingDir?: string;
}

/** An image to build. */
export interface ImageSpec {
  /** `repository:tag`, exactly as pods name it. */
  name: string;
  items: readonly RootfsItem[];
  runtime: ImageRuntime;
}

type Planned = { entry: TarEntry; source?: string; data?: Buffer };

function plan(items: readonly RootfsItem[]): Map<string, Planned> {
  const out = new Map<string, Planned>();
  /** A folder and its parents; an explicit mode overrides the 0755 a parent got implicitly. */
  const dir = (p: string, mode?: number) => {
    for (let d = p; d !== '/' && d !== '.'; d = posix.dirname(d)) {
      const name = d.replace(/^\//, '');
      if (d === p && mode !== undefined) out.set(name, { entry: { name, type: 'dir', mode } });
      else if (!out.has(name)) out.set(name, { entry: { name, type: 'dir', mode: 0o755 } });
    }
  };
  const add = (p: string, planned: Planned) => {
    dir(posix.dirname(p));
    out.set(p.replace(/^\//, ''), planned);
  };
  const walk = (host: string, inImage: string, skip: readonly string[]) => {
    for (const ent of readdirSync(host, { withFileTypes: true })) {
      if (skip.includes(ent.name)) continue;
      const h = join(host, ent.name);
      const p = posix.join(inImage, ent.name);
      const st = lstatSync(h);
      if (st.isSymbolicLink()) {
        add(p, { entry: { name: p.slice(1), type: 'symlink', mode: 0o777, linkname: readlinkSync(h) } });
      } else if (st.isDirectory()) {
        dir(p, st.mode & 0o7777);
        walk(h, p, []);
      } else if (st.isFile()) {
        add(p, {
          entry: { name: p.slice(1), type: 'file', mode: st.mode & 0o7777, size: st.size },
          source: h,
        });
      }
    }
  };
  for (const it of items) {
    switch (it.kind) {
      case 'dir':
        dir(it.path, it.mode);
        break;
      case 'file': {
        const real = realpathSync(it.source);
        const st = statSync(real);
        add(it.path, {
          entry: { name: it.path.slice(1), type: 'file', mode: it.mode ?? st.mode & 0o7777, size: st.size },
          source: real,
        });
        break;
      }
      case 'content': {
        const data = Buffer.from(it.data);
        add(it.path, {
          entry: { name: it.path.slice(1), type: 'file', mode: it.mode ?? 0o644, size: data.length },
          data,
        });
        break;
      }
      case 'symlink':
        add(it.path, {
          entry: { name: it.path.slice(1), type: 'symlink', mode: 0o777, linkname: it.target },
        });
        break;
      case 'tree':
        dir(it.path);
        walk(realpathSync(it.source), it.path, it.skip ?? []);
        break;
    }
  }
  return out;
}

/** What was written: the archive, its image's config digest and the layer's size. */
export interface ImageArchive {
  name: string;
  path: string;
  imageId: string;
  layerBytes: number;
}

/** Writes `spec` as a docker-archive at `outPath` (a scratch layer file beside it is removed). */
export function writeImageArchive(spec: ImageSpec, outPath: string): ImageArchive {
  const entries = [...plan(spec.items).values()].sort((a, b) => (a.entry.name < b.entry.name ? -1 : 1));
  const layerPath = join(dirname(outPath), `.${posix.basename(outPath)}.layer.tar`);
  const layerHash = createHash('sha256');
  const layer = new TarWriter(layerPath, layerHash);
  for (const p of entries) {
    const e = p.entry.type === 'dir' ? { ...p.entry, name: `${p.entry.name}/` } : p.entry;
    if (p.source) layer.addFile(e, p.source, p.entry.size ?? 0);
    else layer.add(e, p.data);
  }
  const layerBytes = layer.close();
  const diffId = `sha256:${layerHash.digest('hex')}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: spec.runtime,
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created_by: 'pushpull devcluster/real-node/image-archive.ts' }],
    }),
  );
  const configSha = createHash('sha256').update(config).digest('hex');
  const layerName = `${diffId.slice(7)}/layer.tar`;
  const manifest = Buffer.from(
    JSON.stringify([{ Config: `${configSha}.json`, RepoTags: [spec.name], Layers: [layerName] }]),
  );
  const out = new TarWriter(outPath);
  out.add({ name: `${diffId.slice(7)}/`, type: 'dir', mode: 0o755 });
  out.addFile({ name: layerName, mode: 0o644 }, layerPath, layerBytes);
  out.add({ name: `${configSha}.json`, type: 'file', mode: 0o644 }, config);
  out.add({ name: 'manifest.json', type: 'file', mode: 0o644 }, manifest);
  out.close();
  rmSync(layerPath, { force: true });
  return { name: spec.name, path: outPath, imageId: `sha256:${configSha}`, layerBytes };
}

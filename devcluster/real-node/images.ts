/**
 * The images the real node (and kind) runs, built from what is on this machine: the pause sandbox, the
 * project's image as the Dockerfile describes it (Node 24 from the `node` npm package's binary, the
 * libraries `ldd` says it links, the Dockerfile's COPY list, production dependencies from `npm ls` of the lockfile,
 * user 65532), and the collectors from their static binaries, each named as the operator renders it.
 * Called by start.ts (pause) and by `pushpull dev-cluster images` / the e2e.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectTools } from '../../tools/locate.ts';
import type { ImageSpec, RootfsItem } from './image-archive.ts';
import { PAUSE_IMAGE } from './layout.ts';

const NONROOT = '65532';

/** The names pods use for each image (the operator's defaults: operator/images.ts, passed in by callers). */
export interface WorkloadImageNames {
  pushpull: string;
  prometheus: string;
  statsdExporter: string;
  otelcol: string;
  pushgateway: string;
}
const PATH_ENV = 'PATH=/usr/local/bin:/usr/bin:/bin';

/** /etc/passwd, /etc/group and a sticky /tmp, for a numeric non-root user. */
function baseItems(): RootfsItem[] {
  return [
    {
      kind: 'content',
      path: '/etc/passwd',
      data: `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`,
    },
    { kind: 'content', path: '/etc/group', data: `root:x:0:\nnonroot:x:${NONROOT}:\n` },
    { kind: 'dir', path: '/tmp', mode: 0o1777 },
    { kind: 'dir', path: '/home/nonroot', mode: 0o1777 },
  ];
}

/** The pause image: our static sandbox process. */
export function pauseImage(pauseBinary: string): ImageSpec {
  return {
    name: PAUSE_IMAGE,
    items: [{ kind: 'file', path: '/pause', source: pauseBinary, mode: 0o755 }],
    runtime: { Entrypoint: ['/pause'], User: NONROOT, Env: [PATH_ENV] },
  };
}

/** Pure: the shared libraries an `ldd` listing names (absolute paths; the vDSO has none). */
export function lddLibraries(lddOutput: string): string[] {
  const libs: string[] = [];
  for (const line of lddOutput.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

/** Pure: the folders the Dockerfile COPYs into /app (every `COPY X ./X` line). */
export function dockerfileCopies(dockerfile: string): string[] {
  const out: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const m = /^COPY\s+(\S+)\s+\.\/(\S+)\s*$/.exec(line.trim());
    if (m && m[1] === m[2]) out.push(m[1]!);
  }
  return out;
}

/** The project's image, as the Dockerfile describes it, from this checkout. */
export function pushpullImage(root: string, name: string): ImageSpec {
  const repoRoot = resolve(root);
  const node = realpathSync(join(repoRoot, 'node_modules', 'node', 'bin', 'node'));
  const libs = lddLibraries(execFileSync('ldd', [node], { encoding: 'utf8' }));
  // From the lockfile, as `npm ci --omit=dev` in the Dockerfile installs it; reading node_modules instead
  // fails (ELSPROBLEMS) in a git worktree whose node_modules is a link to another checkout's.
  const prod = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all', '--package-lock-only'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((p) => p.startsWith(join(repoRoot, 'node_modules')));
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const items: RootfsItem[] = [
    ...baseItems(),
    { kind: 'file', path: '/usr/local/bin/node', source: node, mode: 0o755 },
    ...libs.map((l): RootfsItem => ({ kind: 'file', path: l, source: l })),
    { kind: 'file', path: '/app/package.json', source: join(repoRoot, 'package.json') },
    { kind: 'file', path: '/app/package-lock.json', source: join(repoRoot, 'package-lock.json') },
    ...dockerfileCopies(dockerfile).map(
      (d): RootfsItem => ({ kind: 'tree', path: `/app/${d}`, source: join(repoRoot, d) }),
    ),
    ...prod.map(
      (p): RootfsItem => ({
        kind: 'tree',
        path: `/app/${p.slice(repoRoot.length + 1)}`,
        source: p,
        skip: ['node_modules'],
      }),
    ),
  ];
  return {
    name,
    items,
    runtime: {
      Entrypoint: ['node', 'bin/pushpull.js'],
      Cmd: ['operator'],
      User: `${NONROOT}:${NONROOT}`,
      Env: [PATH_ENV, 'NODE_ENV=production', 'NPM_CONFIG_UPDATE_NOTIFIER=false'],
      WorkingDir: '/app',
    },
  };
}

/** The collectors' images from their static binaries, named and started like the upstream images. */
export function collectorImages(names: WorkloadImageNames): ImageSpec[] {
  const tools = inspectTools({ groups: ['collectors'] });
  const path = (n: string) => {
    const t = tools.find((x) => x.name === n);
    if (!t?.present) throw new Error(`${n} is not built (expected ${t?.path}): run \`npm run tools\``);
    return t.path;
  };
  const one = (name: string, bin: string, inImage: string, extra: RootfsItem[] = []): ImageSpec => ({
    name,
    items: [...baseItems(), { kind: 'file', path: inImage, source: path(bin), mode: 0o755 }, ...extra],
    runtime: { Entrypoint: [inImage], User: NONROOT, Env: [PATH_ENV] },
  });
  return [
    one(names.prometheus, 'prometheus', '/bin/prometheus', [
      { kind: 'dir', path: '/prometheus', mode: 0o1777 },
    ]),
    one(names.statsdExporter, 'statsd_exporter', '/bin/statsd_exporter'),
    one(names.otelcol, 'otelcol', '/otelcol-contrib'),
    one(names.pushgateway, 'pushgateway', '/bin/pushgateway'),
  ];
}

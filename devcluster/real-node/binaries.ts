/**
 * Finds the real node's programs where the project's scripts cache them (tools/node-debs.sh and
 * `tools/build.sh real-node`), or says exactly what is missing and the command that builds it.
 * Called by start.ts and the e2e (test-e2e/), which skips with this reason.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVersionsEnv, toolsDir, VERSIONS_ENV_PATH } from '../../tools/locate.ts';
import type { NodeBinaries } from './layout.ts';

const PAUSE_SOURCE = new URL('../../tools/pause/main.go', import.meta.url).pathname;

/** Pure: where each program should be for these pinned versions and this cache folder. */
export function nodeBinaryPaths(
  versions: Record<string, string>,
  dir: string,
  pauseSum: string,
): NodeBinaries {
  const k8s = join(dir, `kube-node-${versions.KUBERNETES_VERSION}`);
  const containerd = (versions.DEB_CONTAINERD_VERSION ?? '').split('~')[0];
  return {
    kubelet: join(k8s, 'kubelet'),
    kubeProxy: join(k8s, 'kube-proxy'),
    coredns: join(dir, `coredns-${versions.COREDNS_VERSION}`, 'coredns'),
    pause: join(dir, `pause-${pauseSum}`, 'pause'),
    debs: join(dir, `node-debs-${containerd}`),
  };
}

/** kubectl, built beside kubelet (the e2e uses it). */
export function kubectlPath(b: NodeBinaries): string {
  return join(b.kubelet, '..', 'kubectl');
}

/** The node's binaries, or an error naming each missing one and `bash tools/setup.sh real-node`. */
export function locateNodeBinaries(): { binaries: NodeBinaries } | { missing: string } {
  const versions = parseVersionsEnv(readFileSync(VERSIONS_ENV_PATH, 'utf8'));
  const sum = createHash('sha256').update(readFileSync(PAUSE_SOURCE)).digest('hex').slice(0, 12);
  const b = nodeBinaryPaths(versions, toolsDir(), sum);
  const wanted = [
    b.kubelet,
    b.kubeProxy,
    kubectlPath(b),
    b.coredns,
    b.pause,
    join(b.debs, 'bin', 'containerd'),
    join(b.debs, 'bin', 'runc'),
    join(b.debs, 'bin', 'iptables'),
  ];
  const missing = wanted.filter((p) => {
    try {
      accessSync(p, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0)
    return {
      missing: `the real node's programs are not built (${missing.join(', ')}): run \`bash tools/setup.sh real-node\``,
    };
  return { binaries: b };
}

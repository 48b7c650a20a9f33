/**
 * The host side of the real node: the bridge with the node IP (created before anything dials it), the
 * two sysctls kube-proxy needs (saved first, restored by the teardown), a guard chain that keeps pod
 * traffic on the bridge, and the record of host paths that did not exist before (the teardown removes
 * only those). Refuses when another real node already runs on this machine. Called by start.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { DevClusterError } from '../errors.ts';
import { BRIDGE, GUARD_CHAIN, HOST_PATHS, NODE_IP, type NodeLayout } from './layout.ts';
import { NODE_SYSCTLS, savedFiles } from './teardown.ts';

const run = promisify(execFile);

async function sh(l: NodeLayout, cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      env: { ...process.env, PATH: `${l.binaries.debs}/bin:${process.env.PATH}` },
      timeout: 30_000,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new DevClusterError(`${cmd} ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** Why the node cannot run here (not root, no bridge support, another node), or undefined. */
export function hostUnsupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'the real node needs root (bridges, iptables, mounts, cgroups)';
  if (!existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables'))
    return 'the kernel has no br_netfilter (/proc/sys/net/bridge missing): kube-proxy cannot see bridged traffic';
  if (!existsSync('/sys/fs/cgroup/pids')) return 'no cgroup v1 pids hierarchy at /sys/fs/cgroup/pids';
  return undefined;
}

/** Records what the teardown must restore or remove, then sets up the bridge, sysctls and guard. */
export async function prepareHost(l: NodeLayout): Promise<void> {
  if (existsSync(`/sys/class/net/${BRIDGE}`)) {
    throw new DevClusterError(
      `another real node runs on this machine (bridge ${BRIDGE} exists); stop it with \`pushpull dev-cluster down --dir <its dir>\`, or remove a leftover with \`ip link del ${BRIDGE}\``,
    );
  }
  const saved = savedFiles(l);
  const created = HOST_PATHS.filter((p) => !existsSync(p));
  await writeFile(saved.hostPaths, `${created.join('\n')}\n`);
  const values = await Promise.all(
    NODE_SYSCTLS.map(async (k) => `${k} ${(await readFile(`/proc/sys/${k}`, 'utf8')).trim()}`),
  );
  await writeFile(saved.sysctls, `${values.join('\n')}\n`);
  await sh(l, 'ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  await sh(l, 'ip', ['addr', 'add', `${NODE_IP}/24`, 'dev', BRIDGE]);
  await sh(l, 'ip', ['link', 'set', BRIDGE, 'up']);
  for (const k of NODE_SYSCTLS) await writeFile(`/proc/sys/${k}`, '1\n');
  // Forwarding is on while the node runs: only bridge-to-bridge traffic may use it.
  await sh(l, 'iptables', ['-N', GUARD_CHAIN]);
  await sh(l, 'iptables', ['-A', GUARD_CHAIN, '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT']);
  await sh(l, 'iptables', ['-A', GUARD_CHAIN, '-j', 'DROP']);
  await sh(l, 'iptables', ['-I', 'FORWARD', '1', '-i', BRIDGE, '-j', GUARD_CHAIN]);
  await sh(l, 'iptables', ['-I', 'FORWARD', '1', '-o', BRIDGE, '-j', GUARD_CHAIN]);
}

/** The pod cgroup root in every v1 hierarchy kubelet checks (it must exist before kubelet starts). */
export async function createCgroupRoot(l: NodeLayout): Promise<void> {
  for (const h of await readdir('/sys/fs/cgroup')) {
    if (h === 'unified') continue;
    await mkdir(`/sys/fs/cgroup/${h}${l.cgroupRoot}`, { recursive: true }).catch(() => {});
  }
}

/** Runs the node's teardown script (idempotent); returns its output for the log. */
export async function runTeardown(l: NodeLayout): Promise<string> {
  if (!existsSync(l.paths.teardown)) return '';
  return sh(l, '/bin/sh', [l.paths.teardown]);
}

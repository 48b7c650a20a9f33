/**
 * `pushpull dev-cluster up|down`: a real Kubernetes control plane on loopback for people without
 * Docker (devcluster/cluster.ts). `up` runs in the foreground until Ctrl-C (or `down` from another
 * shell), then tears everything down; if this process is killed outright, the cluster's reaper still
 * kills every component. `down` stops the cluster recorded in a work dir and cleans up leftovers.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv } from 'yargs';
import { type DevCluster, startDevCluster } from '../../devcluster/cluster.ts';
import { DevClusterError } from '../../devcluster/errors.ts';
import { type RealNode, startRealNode } from '../../devcluster/real-node/start.ts';
import {
  isAlive,
  killLeftovers,
  ownerRunning,
  readState,
  removeClusterDir,
} from '../../devcluster/workdir.ts';
import { UsageError } from '../../errors/usage-error.ts';
import type { Command } from '../command.ts';
import { buildImages } from './dev-cluster-images.ts';

/** Where `up` and `down` meet when no `--dir` is given. */
export const DEFAULT_DEV_CLUSTER_DIR = join(homedir(), '.cache', 'pushpull', 'devcluster');

interface Args {
  action: 'up' | 'down' | 'images';
  out?: string;
  dir: string;
  nodes?: number;
  keep: boolean;
  realNode: boolean;
}

const err = (line: string) => process.stderr.write(`dev-cluster: ${line}\n`);

/** Resolves on the first SIGINT/SIGTERM/SIGHUP (its name) or when a component exits (undefined). */
function untilStopped(cluster: DevCluster, node?: RealNode): Promise<NodeJS.Signals | undefined> {
  return new Promise((resolveStop) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const done = (signal: NodeJS.Signals | undefined) => {
      clearInterval(watch);
      for (const s of signals) process.off(s, onSignal);
      resolveStop(signal);
    };
    const onSignal = (signal: NodeJS.Signals) => done(signal);
    for (const s of signals) process.on(s, onSignal);
    // Also what keeps the event loop (and so the foreground command) alive.
    const watch = setInterval(() => {
      if (cluster.exitedComponents().length > 0 || (node?.exitedComponents().length ?? 0) > 0)
        done(undefined);
    }, 1_000);
  });
}

async function up(args: Args): Promise<number> {
  const dir = resolve(args.dir);
  const nodes = args.nodes ?? (args.realNode ? 0 : 2);
  const cluster = await startDevCluster({ dir, nodes, log: err });
  let node: RealNode | undefined;
  if (args.realNode) {
    try {
      node = await startRealNode({ cluster, log: err });
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }
  const version = await cluster.client
    .request<{ gitVersion?: string }>('GET', '/version')
    .catch(() => undefined);
  const gitVersion = version?.body?.gitVersion ?? 'unknown version';
  process.stdout.write(
    [
      `Dev cluster ready in ${(cluster.startupMs / 1000).toFixed(1)}s: Kubernetes ${gitVersion} at ${cluster.server}, ` +
        `${cluster.nodeNames.length} kwok nodes (${cluster.nodeNames.join(', ')})` +
        (node
          ? `, real node ${node.name} at ${node.ip} (ready in ${(node.startupMs / 1000).toFixed(1)}s)`
          : ''),
      `  kubeconfig: ${cluster.kubeconfigPath}`,
      `  export KUBECONFIG=${cluster.kubeconfigPath}`,
      `Logs: ${dir}/<component>.log. Ctrl-C (or \`pushpull dev-cluster down --dir ${dir}\`) stops it.`,
      '',
    ].join('\n'),
  );
  const signal = await untilStopped(cluster, node);
  let code = 0;
  if (signal === undefined) {
    for (const name of cluster.exitedComponents()) {
      err(`${name} stopped unexpectedly; last lines of its log:\n${await cluster.logTail(name, 25)}`);
    }
    for (const name of node?.exitedComponents() ?? []) {
      err(`${name} stopped unexpectedly; last lines of its log:\n${await node!.logTail(name, 25)}`);
    }
    code = 1;
  }
  // A second Ctrl-C during teardown exits at once; the reaper still kills what is left.
  const again = () => process.exit(130);
  process.once('SIGINT', again);
  err(`${signal ? `${signal}: ` : ''}stopping${args.keep ? ` (keeping ${dir})` : ''}`);
  await node?.stop().catch((e: Error) => err(e.message));
  await cluster.stop({ keepDir: args.keep || code !== 0 });
  process.off('SIGINT', again);
  err('stopped');
  return code;
}

async function down(args: Args): Promise<number> {
  const dir = resolve(args.dir);
  const state = await readState(dir);
  if (state === undefined) {
    err(`no dev cluster in ${dir}; nothing to stop`);
    return 0;
  }
  if (ownerRunning(state)) {
    err(`asking the dev cluster's owner (pid ${state.ownerPid}) to stop it`);
    process.kill(state.ownerPid, 'SIGTERM');
    for (let i = 0; i < 300 && isAlive(state.ownerPid); i++) await sleep(200);
    if (isAlive(state.ownerPid)) {
      throw new DevClusterError(`pid ${state.ownerPid} did not stop within 60 s; kill it and run down again`);
    }
  }
  const killed = killLeftovers(state, dir);
  if (killed.length > 0) err(`killed leftover components (pids ${killed.join(', ')})`);
  await removeClusterDir(dir);
  err(`stopped; removed ${dir}`);
  return 0;
}

export const devClusterCommand: Command = {
  command: 'dev-cluster <action>',
  describe:
    'A real Kubernetes control plane on loopback (etcd, kube-apiserver, controllers, scheduler, kwok nodes)',
  builder: (y: Argv) =>
    y
      .positional('action', {
        choices: ['up', 'down', 'images'] as const,
        describe:
          'up: start it and stay in the foreground until Ctrl-C; down: stop the one running in --dir; images: build the workload images and import them into the real node of --dir (or write them to --out)',
      })
      .option('dir', {
        type: 'string',
        default: DEFAULT_DEV_CLUSTER_DIR,
        describe: 'work dir (certificates, kubeconfig, etcd data, logs); removed at stop',
      })
      .option('nodes', {
        type: 'number',
        describe: 'how many fake (kwok) Nodes (default 2; 0 with --real-node)',
      })
      .option('real-node', {
        type: 'boolean',
        default: false,
        describe:
          'up: also run a real worker node (kubelet, containerd, kube-proxy, CoreDNS) on a private bridge; needs root',
      })
      .option('out', { type: 'string', describe: 'images: only write the docker-archives into this folder' })
      .option('keep', { type: 'boolean', default: false, describe: 'up: keep the work dir after stopping' })
      .check((a) => {
        const min = a['real-node'] ? 0 : 1;
        if (a.nodes !== undefined && (!Number.isInteger(a.nodes) || a.nodes < min || a.nodes > 50)) {
          throw new UsageError(`--nodes: ${a.nodes} is not allowed (an integer from ${min} to 50)`);
        }
        return true;
      }),
  async handler(args: Args) {
    try {
      if (args.action === 'images') {
        await buildImages({ dir: args.dir, ...(args.out ? { out: args.out } : {}), log: err });
        return 0;
      }
      return args.action === 'up' ? await up(args) : await down(args);
    } catch (e) {
      if (!(e instanceof DevClusterError)) throw e;
      process.stderr.write(`pushpull dev-cluster ${args.action}: ${e.message}\n`);
      return 1;
    }
  },
};

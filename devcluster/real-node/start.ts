/**
 * A real worker node in the dev cluster (`pushpull dev-cluster up --real-node`): containerd + runc +
 * the CNI bridge, a kubelet registered in the cluster, kube-proxy, CoreDNS and the apiserver reachable
 * from pods through the `kubernetes` Service. Everything lives under `<cluster dir>/real-node`; the
 * teardown script (teardown.ts) is written before anything starts and a crash reaper runs it if the
 * owning process dies, so processes, mounts, cgroups, iptables chains, the bridge and veths never
 * outlive the node. Called by cli/commands/dev-cluster.ts and the e2e.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Node, PodList } from 'kubernetes-types/core/v1.js';
import { describeExit } from '../../process/exit.ts';
import { logTail } from '../../process/log-tail.ts';
import { pollUntil, WaitError } from '../../process/poll.ts';
import { freePorts } from '../../process/ports.ts';
import { runOnDeath } from '../../process/reaper.ts';
import { type ChildHandle, Supervisor } from '../../process/supervisor.ts';
import { issueServingCert } from '../certs.ts';
import type { DevCluster } from '../cluster.ts';
import { DevClusterError } from '../errors.ts';
import { publishKubernetesEndpoint, startApiserverForward } from './apiserver-forward.ts';
import { locateNodeBinaries } from './binaries.ts';
import {
  cniConflist,
  containerdConfig,
  corefile,
  kubeletArgs,
  kubeletConfig,
  kubeProxyConfig,
} from './configs.ts';
import { createCgroupRoot, hostUnsupported, prepareHost, runTeardown } from './host.ts';
import type { ImageArchive, ImageSpec } from './image-archive.ts';
import { pauseImage } from './images.ts';
import { importImages as importInto } from './import.ts';
import { NODE_IP, NODE_NAME, type NodeLayout, nodeLayout } from './layout.ts';
import { teardownScript } from './teardown.ts';

const run = promisify(execFile);

/** The node's processes, in start order (stop runs in reverse). */
export const NODE_COMPONENTS = ['containerd', 'kubelet', 'kube-proxy', 'coredns'] as const;
export type NodeComponentName = (typeof NODE_COMPONENTS)[number];

/** Options of `startRealNode`. */
export interface RealNodeOptions {
  cluster: DevCluster;
  log?: (line: string) => void;
  /** Readiness deadline of each part, ms (default 120 s: a busy 2-core machine). */
  timeoutMs?: number;
}

/** A running real node. */
export interface RealNode {
  name: string;
  ip: string;
  layout: NodeLayout;
  /** Milliseconds from the call until the Node was Ready and DNS and kube-proxy answered. */
  startupMs: number;
  components: { name: NodeComponentName; pid: number; logPath: string }[];
  exitedComponents(): NodeComponentName[];
  logTail(name: NodeComponentName, lines?: number): Promise<string>;
  /** Builds each image as a docker-archive under the node dir and imports it into containerd. */
  importImages(specs: readonly ImageSpec[]): Promise<ImageArchive[]>;
  /** Deletes the node's pods (bounded), stops its processes and runs the teardown. */
  stop(): Promise<void>;
}

/** Runs the teardown when this process dies without stop() (its stdin pipe closes). */
function startCrashTeardown(l: NodeLayout): { dispose(): void } {
  return runOnDeath(`while read -r _; do :; done; exec /bin/sh '${l.paths.teardown}'`);
}

const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Starts the real node in `cluster`; on failure everything it made is removed again. */
export async function startRealNode(o: RealNodeOptions): Promise<RealNode> {
  const t0 = Date.now();
  const log = o.log ?? (() => {});
  const timeoutMs = o.timeoutMs ?? 120_000;
  const unsupported = hostUnsupported();
  if (unsupported) throw new DevClusterError(unsupported);
  const found = locateNodeBinaries();
  if ('missing' in found) throw new DevClusterError(found.missing);
  const [kubeletHealthz, proxyHealthz, proxyMetrics, dnsReady] = await freePorts(4);
  const l = nodeLayout({
    clusterDir: o.cluster.dir,
    binaries: found.binaries,
    ports: {
      kubeletHealthz: kubeletHealthz!,
      proxyHealthz: proxyHealthz!,
      proxyMetrics: proxyMetrics!,
      dnsReady: dnsReady!,
    },
    kubeconfigPath: o.cluster.kubeconfigPath,
    caCert: o.cluster.certs.caCert,
  });
  for (const d of [
    l.root,
    dirname(l.paths.containerdConfig),
    l.paths.cniConfDir,
    l.paths.cniIpamDir,
    l.paths.podLogs,
    l.paths.images,
    dirname(l.paths.kubeletCert),
  ])
    await mkdir(d, { recursive: true });
  await writeFile(l.paths.teardown, teardownScript(l), { mode: 0o755 });
  const reaper = startCrashTeardown(l);
  // The one supervisor: process groups, the reaper, pdeathsig; the node's own teardown runs after it.
  const supervisor = new Supervisor({ signals: 'none', holdEventLoop: false });
  const running: { name: NodeComponentName; handle: ChildHandle }[] = [];
  const env = { PATH: `${l.binaries.debs}/bin:${process.env.PATH}` };
  let forward: Server | undefined;
  const byName = (n: NodeComponentName) => running.find((c) => c.name === n);
  const logOf = (name: NodeComponentName) => join(l.root, `${name}.log`);
  const start = async (name: NodeComponentName, command: string, args: string[]) => {
    running.push({
      name,
      handle: await supervisor.start({ name, command, args, env, logFile: logOf(name) }),
    });
  };
  const giveUpReason = () => {
    for (const c of running) {
      const info = c.handle.exitInfo();
      if (info) return `${c.name} ${describeExit(info)}`;
    }
    return undefined;
  };
  const wait = async <T>(what: string, n: NodeComponentName, probe: () => Promise<T | undefined>) => {
    try {
      return await pollUntil(what, probe, { timeoutMs, intervalMs: 250, giveUpReason });
    } catch (err) {
      if (!(err instanceof WaitError)) throw err;
      const tail = logTail(logOf(n), { lines: 30 }) || '(empty)';
      throw new DevClusterError(`${err.message}\n--- last lines of ${n}'s log ---\n${tail}`);
    }
  };
  const api = o.cluster.client;

  const ctr = (...args: string[]) =>
    run(`${l.binaries.debs}/bin/ctr`, ['--address', l.paths.containerdSocket, '-n', 'k8s.io', ...args], {
      timeout: 300_000,
      maxBuffer: 16 << 20,
    });
  const importTarget = {
    debs: l.binaries.debs,
    containerdSocket: l.paths.containerdSocket,
    imagesDir: l.paths.images,
  };
  const importImages = (specs: readonly ImageSpec[]) => importInto(importTarget, specs);

  const stopAll = async () => {
    const errors: string[] = [];
    forward?.close();
    for (const n of [...NODE_COMPONENTS].reverse()) {
      const c = byName(n);
      if (c) await supervisor.stop(c.handle).catch((e: Error) => errors.push(e.message));
    }
    await supervisor.stopAll().catch((e: Error) => errors.push(e.message));
    await runTeardown(l).catch((e: Error) => errors.push(e.message));
    reaper.dispose();
    if (errors.length > 0) throw new DevClusterError(`stopping the real node: ${errors.join('; ')}`);
  };

  try {
    await prepareHost(l);
    await createCgroupRoot(l);
    await writeFile(l.paths.containerdConfig, containerdConfig(l));
    await writeFile(join(l.paths.cniConfDir, '10-pushpull.conflist'), cniConflist(l));
    await issueServingCert(
      dirname(l.paths.kubeletCert),
      'kubelet-serving',
      [`IP:${NODE_IP}`, `DNS:${NODE_NAME}`],
      o.cluster.certs,
    );
    await writeFile(l.paths.kubeletConfig, kubeletConfig(l));
    await writeFile(l.paths.proxyConfig, kubeProxyConfig(l));
    await writeFile(l.paths.corefile, corefile(l));
    await writeFile(l.paths.resolvConf, '');

    await start('containerd', `${l.binaries.debs}/bin/containerd`, ['--config', l.paths.containerdConfig]);
    await wait('containerd answering', 'containerd', async () =>
      existsSync(l.paths.containerdSocket) ? ctr('version').then(() => true) : undefined,
    );
    await importImages([pauseImage(l.binaries.pause)]);
    log(`containerd ready, pause image imported (${seconds(t0)})`);

    await start('kubelet', l.binaries.kubelet, kubeletArgs(l));
    await wait(`Node ${NODE_NAME} Ready`, 'kubelet', async () => {
      const res = await api.request<Node>('GET', `/api/v1/nodes/${NODE_NAME}`);
      const ready = (res.body?.status?.conditions ?? []).find((c) => c.type === 'Ready');
      return ready?.status === 'True' ? true : undefined;
    });
    log(`kubelet registered ${NODE_NAME} at ${NODE_IP}, Ready (${seconds(t0)})`);

    forward = await startApiserverForward(Number(new URL(o.cluster.server).port));
    await publishKubernetesEndpoint(api);
    await start('kube-proxy', l.binaries.kubeProxy, [`--config=${l.paths.proxyConfig}`]);
    await start('coredns', l.binaries.coredns, ['-conf', l.paths.corefile]);
    await Promise.all([
      wait('kube-proxy /healthz', 'kube-proxy', async () => {
        const res = await fetch(`http://127.0.0.1:${l.ports.proxyHealthz}/healthz`).catch(() => undefined);
        return res?.ok ? true : undefined;
      }),
      wait('CoreDNS /ready', 'coredns', async () => {
        const res = await fetch(`http://127.0.0.1:${l.ports.dnsReady}/ready`).catch(() => undefined);
        return res?.ok ? true : undefined;
      }),
    ]);
    const startupMs = Date.now() - t0;
    log(`real node ready: kube-proxy, CoreDNS at ${NODE_IP}:53 (${seconds(t0)})`);

    let stopping: Promise<void> | undefined;
    return {
      name: NODE_NAME,
      ip: NODE_IP,
      layout: l,
      startupMs,
      components: running.map((c) => ({ name: c.name, pid: c.handle.pid, logPath: c.handle.logFile })),
      exitedComponents: () => running.filter((c) => c.handle.exitInfo()).map((c) => c.name),
      logTail: async (n, lines = 40) => logTail(logOf(n), { lines }),
      importImages,
      stop() {
        stopping ??= (async () => {
          await drainNode(api, log);
          await stopAll();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await stopAll().catch(() => {});
    throw err;
  }
}

/** Cordons the node and deletes its pods, waiting (bounded) for the kubelet to tear them down. */
async function drainNode(api: DevCluster['client'], log: (line: string) => void): Promise<void> {
  await api
    .request('PATCH', `/api/v1/nodes/${NODE_NAME}`, {
      body: { spec: { unschedulable: true } },
      contentType: 'application/merge-patch+json',
    })
    .catch(() => undefined);
  const pods = async () => {
    const res = await api.request<PodList>('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${NODE_NAME}`);
    return (res.body?.items ?? []).map((p) => ({
      metadata: { name: p.metadata?.name ?? '', namespace: p.metadata?.namespace ?? '' },
    }));
  };
  const first = await pods().catch(() => []);
  for (const p of first) {
    await api
      .request('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`, {
        body: { gracePeriodSeconds: 5 },
      })
      .catch(() => undefined);
  }
  if (first.length > 0) log(`deleting ${first.length} pods on ${NODE_NAME}`);
  await pollUntil(
    `the pods on ${NODE_NAME} being gone`,
    async () => ((await pods()).length === 0 ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 500 },
  ).catch(() => log(`pods still on ${NODE_NAME} after 30 s; the teardown removes them`));
  await api.request('DELETE', `/api/v1/nodes/${NODE_NAME}`).catch(() => undefined);
}

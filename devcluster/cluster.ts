/**
 * A real Kubernetes control plane on loopback, for tests and for people without Docker: etcd,
 * kube-apiserver (client-certificate authentication, RBAC), kube-controller-manager, kube-scheduler
 * and kwok playing the kubelet of fake Nodes, so Deployment Pods get scheduled and go Running.
 * `startDevCluster` waits for each part with bounded timeouts (errors carry the failing component's
 * log tail) and returns a handle whose `stop()` kills every process group and removes the work dir.
 * The processes run under the one supervisor (process/supervisor.ts): each in its own process group,
 * watched by a reaper, so even a SIGKILLed test runner leaves no etcd or apiserver behind.
 * Called by the operator's integration tests and `pushpull dev-cluster up`.
 */
import { writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { NodeList } from 'kubernetes-types/core/v1.js';
import { createKubeApi, type KubeApi } from '../kube/client.ts';
import { describeExit } from '../process/exit.ts';
import { logTail } from '../process/log-tail.ts';
import { type PollOptions, pollUntil, WaitError } from '../process/poll.ts';
import { freePorts } from '../process/ports.ts';
import { type ChildHandle, ChildStartError, Supervisor } from '../process/supervisor.ts';
import { inspectTools } from '../tools/locate.ts';
import { type ClientTls, type ClusterCerts, createClusterCerts, readAdminTls } from './certs.ts';
import {
  type ClusterLayout,
  COMPONENTS,
  type ComponentBinaries,
  type ComponentName,
  componentSpecs,
  etcdClientUrl,
  KUBERNETES_SERVICE_IP,
} from './components.ts';
import { DevClusterError } from './errors.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import {
  DEFAULT_NODE_CAPACITY,
  FAKE_NODE_LABEL,
  fakeNode,
  fakeNodeNames,
  isNodeSchedulable,
  type NodeCapacity,
} from './nodes.ts';
import { claimDir, removeClusterDir, writeState } from './workdir.ts';

/** The kwok Stage files shipped with the project. */
export const STAGE_FILES = [
  'node-initialize.yaml',
  'node-heartbeat.yaml',
  'pod-ready.yaml',
  'pod-complete.yaml',
  'pod-delete.yaml',
].map((f) => new URL(`./stages/${f}`, import.meta.url).pathname);

/** Readiness deadlines, in milliseconds. */
export interface DevClusterTimeouts {
  etcd: number;
  apiserver: number;
  /** kube-scheduler, kube-controller-manager and the fake Nodes becoming Ready. */
  controllers: number;
}

/** Generous next to what a busy 2-core machine needs (apiserver ready ~3-5 s, the rest ~1 s). */
export const DEFAULT_TIMEOUTS: DevClusterTimeouts = { etcd: 30_000, apiserver: 120_000, controllers: 90_000 };

/** Options of `startDevCluster`. */
export interface DevClusterOptions {
  /** Work directory (created; must be empty or a previous dev-cluster dir). Default: a new temp dir. */
  dir?: string;
  /** Progress lines ("etcd ready (0.8s)"). Default: silent. */
  log?: (line: string) => void;
  /** How many fake Nodes (default 2). */
  nodes?: number;
  nodeCapacity?: NodeCapacity;
  timeouts?: Partial<DevClusterTimeouts>;
  /** Keep the work dir (logs, certificates) when start fails, for a post-mortem. Default false. */
  keepDirOnFailure?: boolean;
}

/** A component process of the running cluster. */
export interface ComponentInfo {
  name: ComponentName;
  pid: number;
  logPath: string;
}

/** A running dev cluster. */
export interface DevCluster {
  dir: string;
  /** The admin kubeconfig (certificates embedded), for kubectl, helm, client libraries. */
  kubeconfigPath: string;
  /** `https://127.0.0.1:PORT`. */
  server: string;
  /** PEM files of the PKI (CA, admin client cert/key, service-account keys). */
  certs: ClusterCerts;
  /** The admin TLS material in memory (node:https `ca`/`cert`/`key`). */
  tls: ClientTls;
  /** The project's API client with the admin kubeconfig; closed by stop(). */
  client: KubeApi;
  nodeNames: string[];
  components: ComponentInfo[];
  /** Milliseconds from the call to startDevCluster until everything was ready. */
  startupMs: number;
  /** Components whose process has exited (a healthy cluster returns []). */
  exitedComponents(): ComponentName[];
  /** The last lines of a component's log. */
  logTail(name: ComponentName, lines?: number): Promise<string>;
  /** Stops every component (process groups, TERM then KILL) and removes the work dir unless `keepDir`. */
  stop(options?: { keepDir?: boolean }): Promise<void>;
}

/** The control-plane binaries, or a DevClusterError saying how to build the missing ones. */
export function locateControlPlane(): ComponentBinaries {
  const statuses = inspectTools({ groups: ['control-plane'] });
  const missing = statuses.filter((s) => !s.present && s.name !== 'helm');
  if (missing.length > 0) {
    const list = missing.map((s) => `  ${s.name} ${s.pinned} (expected ${s.path})`).join('\n');
    throw new DevClusterError(
      `the control-plane programs are not built:\n${list}\nbuild them with \`bash tools/build.sh control-plane\` (the first build takes a long while on 2 cores)`,
    );
  }
  const path = (name: ComponentName) => statuses.find((s) => s.name === name)!.path;
  return Object.fromEntries(COMPONENTS.map((n) => [n, path(n)])) as ComponentBinaries;
}

function secondsSince(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/** GET over HTTPS without verifying the (self-signed) certificate: the scheduler's /readyz. */
function insecureStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** What `waitFor` needs beyond the poll: what to quote when the wait fails. */
interface WaitOptions extends Pick<PollOptions, 'timeoutMs' | 'intervalMs' | 'giveUpReason'> {
  /** Extra text for the error (the tail of the components' logs). */
  evidence: () => string;
}

/** Polls (process/poll.ts); a failed wait becomes a DevClusterError with the evidence under it. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const { evidence, ...poll } = options;
  try {
    return await pollUntil(what, probe, poll);
  } catch (err) {
    if (!(err instanceof WaitError)) throw err;
    const tail = evidence();
    throw new DevClusterError(tail ? `${err.message}\n${tail}` : err.message);
  }
}

/**
 * Starts a dev cluster and resolves once the apiserver is ready, the scheduler is ready, the
 * controller manager has created the `default` ServiceAccount and every fake Node is Ready and
 * untainted. On failure everything started is stopped and a DevClusterError explains which part
 * did not come up, with the tail of its log.
 */
export async function startDevCluster(options: DevClusterOptions = {}): Promise<DevCluster> {
  const t0 = Date.now();
  const log = options.log ?? (() => {});
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const binaries = locateControlPlane();
  const dir = await claimDir(options.dir);
  const state = {
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
    components: [] as ComponentInfo[],
  };
  await writeState(dir, state);

  // Not holding the event loop: a test that forgets stop() still ends, and the reaper cleans up.
  const supervisor = new Supervisor({ signals: 'none', holdEventLoop: false });
  const running: ChildHandle[] = [];
  let client: KubeApi | undefined;

  const byName = (name: ComponentName) => running.find((c) => c.name === name);
  const abortIfExited = (names: readonly ComponentName[]) => () => {
    for (const n of names) {
      const info = byName(n)?.exitInfo();
      if (info) return `${n} exited (${describeExit(info)})`;
    }
    return undefined;
  };
  const evidenceOf = (names: readonly ComponentName[]) => () => {
    const parts: string[] = [];
    for (const n of names) {
      const c = byName(n);
      if (!c) continue;
      parts.push(
        `--- last lines of ${n}'s log (${c.logFile}) ---\n${logTail(c.logFile, { lines: 25 }) || '(empty)'}`,
      );
    }
    return parts.join('\n');
  };

  const teardown = async () => {
    const errors: string[] = [];
    // Reverse start order: the clients of the apiserver first, etcd last.
    const groups: ComponentName[][] = [
      ['kwok', 'kube-scheduler', 'kube-controller-manager'],
      ['kube-apiserver'],
      ['etcd'],
    ];
    for (const group of groups) {
      await Promise.all(
        group.map(async (n) => {
          const c = byName(n);
          if (c) await supervisor.stop(c).catch((e: Error) => errors.push(e.message));
        }),
      );
    }
    // Whatever is left (nothing, normally), and the reaper.
    await supervisor.stopAll().catch((e: Error) => errors.push(e.message));
    client?.close();
    if (errors.length > 0) throw new DevClusterError(`stopping the dev cluster: ${errors.join('; ')}`);
  };

  try {
    const [etcdClient, etcdPeer, apiserver, scheduler] = await freePorts(4);
    const certs = await createClusterCerts(join(dir, 'pki'), KUBERNETES_SERVICE_IP);
    const tls = await readAdminTls(certs);
    const kubeconfigPath = join(dir, 'kubeconfig');
    const layout: ClusterLayout = {
      dir,
      binaries,
      ports: { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiserver: apiserver!, scheduler: scheduler! },
      certs,
      kubeconfigPath,
      stageFiles: STAGE_FILES,
    };
    const server = `https://127.0.0.1:${layout.ports.apiserver}`;
    await writeFile(kubeconfigPath, renderKubeconfig(server, tls), { mode: 0o600 });
    log(`certificates and kubeconfig written (${secondsSince(t0)})`);

    const specs = new Map(componentSpecs(layout).map((s) => [s.name, s]));
    // Components start concurrently; their state-file updates must not interleave.
    let stateWrites = Promise.resolve();
    const start = async (name: ComponentName) => {
      const spec = specs.get(name)!;
      let c: ChildHandle;
      try {
        c = await supervisor.start({ ...spec, logFile: join(dir, `${name}.log`) });
      } catch (err) {
        if (err instanceof ChildStartError) throw new DevClusterError(err.message);
        throw err;
      }
      running.push(c);
      state.components.push({ name, pid: c.pid, logPath: c.logFile });
      const snapshot = { ...state, components: [...state.components], server, kubeconfigPath };
      stateWrites = stateWrites.then(() => writeState(dir, snapshot));
      await stateWrites;
    };

    await start('etcd');
    await waitFor(
      'etcd becoming healthy',
      async () => {
        const res = await fetch(`${etcdClientUrl(layout)}/health`, { signal: AbortSignal.timeout(3_000) });
        const body = (await res.json()) as { health?: string };
        return body.health === 'true' ? true : undefined;
      },
      {
        timeoutMs: timeouts.etcd,
        intervalMs: 200,
        giveUpReason: abortIfExited(['etcd']),
        evidence: evidenceOf(['etcd']),
      },
    );
    log(`etcd ready (${secondsSince(t0)})`);

    await start('kube-apiserver');
    client = createKubeApi({ kubeconfig: kubeconfigPath, maxSockets: 8 });
    const api = client;
    await waitFor(
      'kube-apiserver /readyz answering ok',
      async () => {
        const res = await api.request('GET', '/readyz', { timeoutMs: 5_000 });
        if (res.status === 200) return true;
        throw new Error(`/readyz answered ${res.status}`);
      },
      {
        timeoutMs: timeouts.apiserver,
        intervalMs: 250,
        giveUpReason: abortIfExited(['etcd', 'kube-apiserver']),
        evidence: evidenceOf(['kube-apiserver']),
      },
    );
    log(`kube-apiserver ready at ${server} (${secondsSince(t0)})`);

    await Promise.all((['kube-controller-manager', 'kube-scheduler', 'kwok'] as const).map(start));
    const nodeNames = fakeNodeNames(options.nodes ?? 2);
    for (const [i, name] of nodeNames.entries()) {
      const res = await api.request('POST', '/api/v1/nodes', {
        body: fakeNode(name, i + 1, options.nodeCapacity ?? DEFAULT_NODE_CAPACITY),
      });
      if (res.status !== 201 && res.status !== 409) {
        throw new DevClusterError(`creating the fake Node ${name} failed: HTTP ${res.status} ${res.text}`);
      }
    }
    const all: ComponentName[] = [...COMPONENTS];
    await Promise.all([
      waitFor(
        'kube-scheduler /readyz answering ok',
        async () =>
          (await insecureStatus(`https://127.0.0.1:${layout.ports.scheduler}/readyz`)) === 200
            ? true
            : undefined,
        {
          timeoutMs: timeouts.controllers,
          intervalMs: 250,
          giveUpReason: abortIfExited(all),
          evidence: evidenceOf(['kube-scheduler']),
        },
      ),
      waitFor(
        'kube-controller-manager creating the default ServiceAccount',
        async () => {
          const res = await api.request('GET', '/api/v1/namespaces/default/serviceaccounts/default');
          return res.status === 200 ? true : undefined;
        },
        {
          timeoutMs: timeouts.controllers,
          intervalMs: 250,
          giveUpReason: abortIfExited(all),
          evidence: evidenceOf(['kube-controller-manager']),
        },
      ),
      waitFor(
        `${nodeNames.length} fake Nodes becoming Ready and untainted`,
        async () => {
          const res = await api.request<NodeList>('GET', '/api/v1/nodes', {
            query: { labelSelector: `${FAKE_NODE_LABEL}=true` },
          });
          const items = res.body?.items ?? [];
          const ok = items.filter(isNodeSchedulable).length;
          if (ok >= nodeNames.length) return true;
          throw new Error(`${ok} of ${nodeNames.length} Nodes schedulable`);
        },
        {
          timeoutMs: timeouts.controllers,
          intervalMs: 250,
          giveUpReason: abortIfExited(all),
          evidence: evidenceOf(['kwok', 'kube-controller-manager']),
        },
      ),
    ]);
    const startupMs = Date.now() - t0;
    log(
      `dev cluster ready: ${nodeNames.length} kwok Nodes, kubeconfig ${kubeconfigPath} (${secondsSince(t0)})`,
    );

    let stopping: Promise<void> | undefined;
    return {
      dir,
      kubeconfigPath,
      server,
      certs,
      tls,
      client: api,
      nodeNames,
      components: running.map((c) => ({ name: c.name as ComponentName, pid: c.pid, logPath: c.logFile })),
      startupMs,
      exitedComponents: () => running.filter((c) => !c.isRunning()).map((c) => c.name as ComponentName),
      logTail: async (name, lines = 40) => logTail(join(dir, `${name}.log`), { lines }),
      stop(stopOptions = {}) {
        stopping ??= (async () => {
          try {
            await teardown();
          } finally {
            if (!stopOptions.keepDir) await removeClusterDir(dir);
          }
        })();
        return stopping;
      },
    };
  } catch (err) {
    await teardown().catch(() => {});
    if (options.keepDirOnFailure) {
      if (err instanceof DevClusterError) err.message += `\n(work dir kept: ${dir})`;
    } else {
      await removeClusterDir(dir);
    }
    throw err;
  }
}

/**
 * Integration-test support: a real control plane (devcluster/) with the CRD installed, the operator run
 * as a child process (`pushpull operator --kubeconfig ...`, so a test can SIGKILL it), bounded polling,
 * and evidence on failure (operator log, events, experiments). Every process started here is stopped by
 * `stop()`, which the tests call in `after`.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCrd } from '../../api/v1alpha1/crd.ts';
import { renderScheduleCrd } from '../../api/v1alpha1/schedule-crd.ts';
import { type DevCluster, startDevCluster } from '../../devcluster/cluster.ts';
import { freePort } from '../../process/ports.ts';
import { makeTempDir } from '../../testing/temp-dir.ts';
import { createKubeClient } from '../k8s/client.ts';
import type { KubePort } from '../k8s/port.ts';
import type { KubeObject } from '../render/types.ts';

const REPO = join(import.meta.dirname, '../..');

/** Polls `probe` every `everyMs` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; Date.now() < deadline && i < 100_000; i++) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
  );
}

export interface OperatorProcess {
  child: ChildProcess;
  logPath: string;
  metricsPort: number;
}

export class DevEnv {
  readonly cluster: DevCluster;
  readonly kube: KubePort;
  readonly dir: string;
  #operators: OperatorProcess[] = [];
  #n = 0;

  private constructor(cluster: DevCluster, kube: KubePort, dir: string) {
    this.cluster = cluster;
    this.kube = kube;
    this.dir = dir;
  }

  /** Starts the control plane and installs the CRDs (waits until they are Established). */
  static async start(): Promise<DevEnv> {
    const dir = makeTempDir('operator-itest');
    const cluster = await startDevCluster({ keepDirOnFailure: true });
    const kube = createKubeClient({ kubeconfig: cluster.kubeconfigPath });
    const env = new DevEnv(cluster, kube, dir);
    try {
      for (const rendered of [renderCrd(), renderScheduleCrd()]) {
        const crd = rendered as unknown as KubeObject;
        await kube.apply(crd);
        await waitFor(
          `the CRD ${crd.metadata.name} to be Established`,
          async () => {
            const live = await kube.get({
              apiVersion: 'apiextensions.k8s.io/v1',
              kind: 'CustomResourceDefinition',
              name: crd.metadata.name,
            });
            const conds =
              (live?.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? [];
            return conds.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
          },
          30_000,
        );
      }
    } catch (err) {
      await env.stop();
      throw err;
    }
    return env;
  }

  async createNamespace(name: string): Promise<void> {
    await this.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** Starts `pushpull operator` against the cluster; its log goes to a file kept as evidence. */
  async startOperator(extraArgs: string[] = []): Promise<OperatorProcess> {
    const n = this.#n++;
    const logPath = join(this.dir, `operator-${n}.log`);
    const metricsPort = await freePort();
    const log = createWriteStream(logPath);
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'bin/pushpull.js'),
        'operator',
        '--kubeconfig',
        this.cluster.kubeconfigPath,
        '--metrics-listen',
        `127.0.0.1:${metricsPort}`,
        '--reach',
        'proxy',
        '--log-level',
        'debug',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const op = { child, logPath, metricsPort };
    this.#operators.push(op);
    return op;
  }

  /** SIGKILLs (or SIGTERMs) an operator and waits for it to exit. */
  async stopOperator(op: OperatorProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (op.child.exitCode !== null || op.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => op.child.once('exit', () => resolve()));
    op.child.kill(signal);
    const timer = setTimeout(() => op.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** The operator logs, the namespace's events and experiments: printed when a test fails. */
  async evidence(namespace: string): Promise<string> {
    const parts: string[] = [];
    for (const op of this.#operators) {
      const text = readFileSync(op.logPath, 'utf8');
      parts.push(`--- ${op.logPath} (last 60 lines)\n${text.split('\n').slice(-60).join('\n')}`);
    }
    try {
      const events = await this.kube.list('v1', 'Event', namespace);
      parts.push(
        `--- events in ${namespace}\n${events.items
          .map((e) => `${e.metadata.name} ${String(e.reason)}: ${String(e.message)}`)
          .join('\n')}`,
      );
      const xs = await this.kube.list('pushpull.dev/v1alpha1', 'PushPullExperiment', namespace);
      parts.push(
        `--- experiments\n${JSON.stringify(
          xs.items.map((x) => ({ name: x.metadata.name, status: x.status })),
          null,
          2,
        )}`,
      );
    } catch (err) {
      parts.push(`(could not read events/experiments: ${(err as Error).message})`);
    }
    return parts.join('\n');
  }

  async stop(): Promise<void> {
    for (const op of this.#operators) await this.stopOperator(op, 'SIGKILL');
    await this.cluster.stop();
  }
}

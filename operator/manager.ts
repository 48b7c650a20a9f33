/**
 * The operator process: watches PushPullExperiments and their pods and turns every event into a key in
 * the de-duplicating work queue (events carry no other meaning: reconcile reads the world afresh);
 * runs a few workers, one key at a time each; serves /metrics and /healthz; and, with leader election,
 * reconciles only while it holds the Lease. Called by `pushpull operator` (cli/commands/operator.ts).
 */
import { createServer, type Server } from 'node:http';
import { SCHEDULE_KIND } from '../api/v1alpha1/schedule-schema.ts';
import { API_GROUP, API_VERSION, KIND } from '../api/v1alpha1/schema.ts';
import type { CollectReportFn } from './collect/collect-report.ts';
import { classify, describeError } from './errors.ts';
import type { KubePort } from './k8s/port.ts';
import { servedCache } from './k8s/served-cache.ts';
import { relayCadvisor } from './kubelet/cadvisor-relay.ts';
import { acquireLeadership, holdLeadership, type LeaderOptions } from './leader.ts';
import type { Logger } from './log.ts';
import type { OperatorMetrics } from './metrics.ts';
import { systemTimerClock } from './queue/timer-clock.ts';
import { WorkQueue } from './queue/work-queue.ts';
import type { Reach } from './reach.ts';
import { type ReconcileDeps, type ReconcileResult, reconcile } from './reconcile.ts';
import { EXPERIMENT_LABEL } from './render/names.ts';
import type { Images, KubeObject } from './render/types.ts';
import { SCHEDULE_LABEL } from './schedule/names.ts';
import { reconcileSchedule } from './schedule/reconcile-schedule.ts';
import type { TimelineOptions } from './timeline/timeline.ts';

export interface ManagerOptions {
  kube: KubePort;
  reach: Reach;
  collect: CollectReportFn;
  images: Images;
  queue: WorkQueue;
  /** The PushPullSchedule controller's own queue (default: a new one on the system clock). */
  scheduleQueue?: WorkQueue;
  metrics: OperatorMetrics;
  log: Logger;
  clock: { now(): number };
  timeline: TimelineOptions;
  /** Watch one namespace, or all when undefined. */
  namespace?: string;
  metricsListen: { host: string; port: number };
  /**
   * The kubelet relay (operator/kubelet/cadvisor-relay.ts): `address` is where pods reach this
   * server (host:port), which the rig Prometheus scrapes for the collectors' cAdvisor series; undefined
   * (an operator outside the cluster) renders no such job and the report says why.
   */
  kubeletRelay?: { address: string; kubeletPort: number };
  /** Leader election settings; undefined runs without it. */
  leader?: Omit<LeaderOptions, 'kube' | 'log' | 'now' | 'sleep'>;
  workers?: number;
  /** Wait before re-establishing a watch that ended. */
  rewatchDelayMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

function serveMetrics(o: ManagerOptions, healthy: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/readyz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    if (path === '/kubelet/cadvisor' && o.kubeletRelay) {
      const query = new URL(req.url ?? '/', 'http://relay').searchParams;
      relayCadvisor(query, {
        kube: o.kube,
        kubeletPort: o.kubeletRelay.kubeletPort,
        timeoutMs: 3000,
        ...(o.namespace ? { watchNamespace: o.namespace } : {}),
      })
        .then(({ status, text }) =>
          res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
        )
        .catch((err: unknown) =>
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`${describeError(err)}\n`),
        );
      return;
    }
    if (path === '/metrics') {
      o.metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': o.metrics.registry.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics or /healthz\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.metricsListen.port, o.metricsListen.host, () => resolve(server));
  });
}

/** What the manager lists and watches, and how each object becomes a work-queue key (the RBAC test reads it). */
export const MANAGER_WATCHES: ReadonlyArray<{
  apiVersion: string;
  kind: string;
  labelSelector?: string;
  toKey: (obj: KubeObject) => string | undefined;
}> = [
  {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    toKey: (x) => `${x.metadata.namespace}/${x.metadata.name}`,
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    labelSelector: EXPERIMENT_LABEL,
    toKey: (p) => {
      const experiment = p.metadata.labels?.[EXPERIMENT_LABEL];
      return experiment ? `${p.metadata.namespace}/${experiment}` : undefined;
    },
  },
];

/** The schedule controller's watches: schedules, and the experiments they own (by label). */
export const SCHEDULE_WATCHES: typeof MANAGER_WATCHES = [
  {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: SCHEDULE_KIND,
    toKey: (x) => `${x.metadata.namespace}/${x.metadata.name}`,
  },
  {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    labelSelector: SCHEDULE_LABEL,
    toKey: (x) => {
      const schedule = x.metadata.labels?.[SCHEDULE_LABEL];
      return schedule ? `${x.metadata.namespace}/${schedule}` : undefined;
    },
  },
];

/**
 * Keeps a watch of one kind alive until `signal` aborts: list (enqueue every key), then watch from the
 * list's resourceVersion; when the watch ends for any reason, start over after a short delay.
 */
async function keepWatching(
  o: ManagerOptions,
  apiVersion: string,
  kind: string,
  labelSelector: string | undefined,
  toKey: (obj: KubeObject) => string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const enqueue = (obj: KubeObject) => {
    const key = toKey(obj);
    if (key) o.queue.add(key);
  };
  while (!signal.aborted) {
    try {
      const list = await o.kube.list(apiVersion, kind, o.namespace, labelSelector);
      for (const item of list.items) enqueue(item);
      let stopWatch: (() => void) | undefined;
      let finish: () => void = () => {};
      const ended = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const onAbort = () => {
        stopWatch?.();
        finish();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      o.kube
        .watch(
          apiVersion,
          kind,
          o.namespace,
          { ...(labelSelector ? { labelSelector } : {}), resourceVersion: list.resourceVersion },
          (type, obj) => {
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') enqueue(obj);
          },
          (err) => {
            if (err && !signal.aborted) o.log.debug('watch ended', { kind, error: describeError(err) });
            finish();
          },
        )
        .then((w) => {
          stopWatch = () => w.stop();
          if (signal.aborted) w.stop();
        })
        .catch((err: unknown) => {
          o.log.warn('watch failed to start', { kind, error: describeError(err) });
          finish();
        });
      await ended;
      signal.removeEventListener('abort', onAbort);
    } catch (err) {
      o.log.warn('list failed', { kind, error: describeError(err) });
    }
    await sleep(o.rewatchDelayMs ?? 1000, signal);
  }
}

async function worker(o: ManagerOptions, run: (key: string) => Promise<ReconcileResult>): Promise<void> {
  for (;;) {
    const key = await o.queue.get();
    if (key === undefined) return;
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      const result = await run(key);
      o.queue.forget(key);
      if (result.requeueAfterMs !== undefined) {
        outcome = 'requeue';
        o.queue.addAfter(key, result.requeueAfterMs);
      }
    } catch (err) {
      outcome = classify(err);
      if (outcome === 'terminal') {
        o.queue.forget(key);
        o.log.error('reconcile failed for good', { key, error: describeError(err) });
      } else {
        const delay = o.queue.addRateLimited(key);
        o.log.warn('reconcile failed; retrying', { key, error: describeError(err), retryInMs: delay });
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      o.metrics.reconciles.inc({ outcome });
      o.metrics.reconcileSeconds.observe({ outcome }, seconds);
      o.queue.done(key);
    }
  }
}

/** Runs the operator until `signal` aborts (SIGTERM) or the leader lease is lost. */
export async function runManager(o: ManagerOptions, signal: AbortSignal): Promise<'stopped' | 'lost-lease'> {
  let leading = o.leader === undefined;
  const server = await serveMetrics(o, () => true);
  const address = server.address();
  o.log.info('serving /metrics and /healthz', {
    address: typeof address === 'object' ? address : String(address),
  });
  const stop = new AbortController();
  signal.addEventListener('abort', () => stop.abort(), { once: true });
  let result: 'stopped' | 'lost-lease' = 'stopped';
  try {
    let holding: Promise<'lost' | 'stopped'> | undefined;
    if (o.leader) {
      const leaderOpts: LeaderOptions = {
        ...o.leader,
        kube: o.kube,
        log: o.log,
        now: () => o.clock.now(),
        sleep,
      };
      await acquireLeadership(leaderOpts, stop.signal);
      if (stop.signal.aborted) return 'stopped';
      leading = true;
      holding = holdLeadership(leaderOpts, stop.signal).then((r) => {
        if (r === 'lost') {
          o.log.error('leader lease lost; stopping');
          result = 'lost-lease';
          stop.abort();
        }
        return r;
      });
    }
    o.metrics.leader.set(leading ? 1 : 0);
    const deps: ReconcileDeps = {
      kube: o.kube,
      reach: o.reach,
      collect: o.collect,
      images: o.images,
      clock: o.clock,
      timeline: o.timeline,
      log: o.log,
      served: servedCache(o.clock),
      ...(o.kubeletRelay ? { kubeletRelay: o.kubeletRelay.address } : {}),
    };
    const watches = MANAGER_WATCHES.map((w) =>
      keepWatching(o, w.apiVersion, w.kind, w.labelSelector, w.toKey, stop.signal),
    );
    const workers = Array.from({ length: o.workers ?? 2 }, () => worker(o, (key) => reconcile(key, deps)));
    // Schedules (operator/schedule/): their own queue, fed by schedules and by the runs they own.
    const scheduled = { ...o, queue: o.scheduleQueue ?? new WorkQueue({ clock: systemTimerClock }) };
    watches.push(
      ...SCHEDULE_WATCHES.map((w) =>
        keepWatching(scheduled, w.apiVersion, w.kind, w.labelSelector, w.toKey, stop.signal),
      ),
    );
    workers.push(
      worker(scheduled, (key) => reconcileSchedule(key, { kube: o.kube, clock: o.clock, log: o.log })),
    );
    o.log.info('operator started', { namespace: o.namespace ?? '(all)', workers: workers.length });
    await new Promise<void>((resolve) =>
      stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    o.queue.shutDown();
    scheduled.queue.shutDown();
    await Promise.all([...watches, ...workers, ...(holding ? [holding] : [])]);
  } finally {
    o.metrics.leader.set(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  o.log.info('operator stopped', { result });
  return result;
}

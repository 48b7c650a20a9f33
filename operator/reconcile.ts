/**
 * reconcile(key): the level-based heart of the operator. It reads the experiment and its pods afresh,
 * renders the workload (pure), applies what changed (server-side apply; objects whose live render hash
 * matches are skipped, so a no-op pass writes nothing), follows the timeline (fix startAt, deliver it,
 * collect after the cut-off, TTL cleanup), computes the whole status once and writes it only if it
 * changed. Outcomes: `{requeueAfterMs}` to wait, a thrown transient error to retry with backoff, and
 * terminal problems recorded as a Failed condition (never retried). Called by operator/manager.ts.
 */
import { API_GROUP, API_VERSION, ARM_NAMES, type ArmName, KIND } from '../api/v1alpha1/schema.ts';
import { formatSpecError, validateSpec } from '../api/v1alpha1/validate.ts';
import { dueFaults, planFaults } from '../driver/faults.ts';
import type { AppliedFault } from '../measure/liveness.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import type { CollectReportFn, ProducerPod } from './collect/collect-report.ts';
import { classify, describeError, TerminalError, TransientError } from './errors.ts';
import { jobLedgersFromPods } from './job-ledgers.ts';
import type { KubePort } from './k8s/port.ts';
import type { ServedCache } from './k8s/served-cache.ts';
import { type CollectorContainer, collectorContainers } from './kubelet/collector-containers.ts';
import type { Logger } from './log.ts';
import { applyNetworkFaults, deleteNetworkChaos, networkFaultLines } from './network-faults.ts';
import type { Reach } from './reach.ts';
import { HASH_ANNOTATION, stableJson } from './render/hash.ts';
import { EXPERIMENT_LABEL, FIELD_MANAGER, POD_INDEX_LABEL } from './render/names.ts';
import { objectRef, renderExperiment, withHash } from './render/render.ts';
import { jobBatchObjects } from './render/short-lived-jobs.ts';
import type { ExperimentObject, Images, KubeObject } from './render/types.ts';
import { reportConfigMap } from './report-configmap.ts';
import { computeStatus, type StatusFacts } from './status/compute.ts';
import { findCondition, PROVISIONED } from './status/conditions.ts';
import { summarizeReport } from './status/summary.ts';
import type { OperatorStatus } from './status/types.ts';
import { reconcileSweep } from './sweep/reconcile-sweep.ts';
import {
  collectTimedOut,
  readyTimedOut,
  requeueAfterMs,
  scheduleFor,
  stageOf,
  startAtFor,
  type TimelineOptions,
} from './timeline/timeline.ts';

/** Held on every experiment until the operator has deleted its workload in order. */
export const FINALIZER = `${API_GROUP}/workload`;
/** A ConfigMap's data must stay under the API server's 1 MiB object limit. */
const MAX_CONFIG_BYTES = 1_000_000;

export interface ReconcileDeps {
  kube: KubePort;
  reach: Reach;
  collect: CollectReportFn;
  images: Images;
  clock: { now(): number };
  timeline: TimelineOptions;
  log: Logger;
  /** Whether the API server serves a kind (Chaos Mesh's NetworkChaos), cached across passes. */
  served: ServedCache;
  /** Where pods reach the operator's kubelet relay (host:port); undefined: no collector use from cAdvisor. */
  kubeletRelay?: string;
}

const renderInput = (x: ExperimentObject, deps: ReconcileDeps) => ({
  experiment: x,
  images: deps.images,
  ...(deps.kubeletRelay ? { kubeletRelay: deps.kubeletRelay } : {}),
});

export interface ReconcileResult {
  requeueAfterMs?: number;
}

const experimentKey = (namespace: string, name: string) => ({
  apiVersion: `${API_GROUP}/${API_VERSION}`,
  kind: KIND,
  namespace,
  name,
});

/** Splits `namespace/name`. */
export function parseKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  if (i <= 0)
    throw new TerminalError('BadKey', `work-queue key ${JSON.stringify(key)} is not namespace/name`);
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

interface PodView {
  createdAt?: string;
  /** The producer container restarted or ended: when, and how. */
  died?: { at: string; detail: string };
  name: string;
  uid: string;
  ip?: string;
  ready: boolean;
  component: string;
  arm?: ArmName;
  process: number;
}

/** A container status as the API reports it (the fields the run needs). */
interface ContainerStatusView {
  name: string;
  restartCount?: number;
  state?: { terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string } };
  lastState?: { terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string } };
}

/** How a producer container ended, when it restarted or terminated during the run. */
function producerDeath(statuses: ContainerStatusView[] | undefined): PodView['died'] {
  const c = statuses?.find((s) => s.name === 'producer');
  const ended = c?.state?.terminated ?? (c?.restartCount ? c.lastState?.terminated : undefined);
  if (!c || !ended) return undefined;
  const how =
    ended.reason ?? (ended.signal ? `signal ${ended.signal}` : `exit code ${ended.exitCode ?? '?'}`);
  const restarts = c.restartCount ? `, restarted ${c.restartCount} time(s)` : '';
  return {
    at: ended.finishedAt ?? new Date(0).toISOString(),
    detail: `producer container ended (${how})${restarts}`,
  };
}

function podView(p: KubeObject): PodView {
  const status = p.status as
    | {
        podIP?: string;
        conditions?: Array<{ type: string; status: string }>;
        containerStatuses?: ContainerStatusView[];
      }
    | undefined;
  const labels = p.metadata.labels ?? {};
  const component = labels['app.kubernetes.io/component'] ?? '';
  const arm = ARM_NAMES.find((a) => component === `producer-${a}`);
  return {
    name: p.metadata.name,
    uid: p.metadata.uid ?? '',
    ...(status?.podIP ? { ip: status.podIP } : {}),
    ready: status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    component,
    ...(arm ? { arm } : {}),
    process: Number(labels[POD_INDEX_LABEL] ?? 0),
    ...(p.metadata.creationTimestamp ? { createdAt: p.metadata.creationTimestamp } : {}),
    ...(arm ? { died: producerDeath(status?.containerStatuses) } : {}),
  };
}

/** The pods the workload should have: one per collector Deployment plus every producer process. */
function expectedPods(objects: KubeObject[]): number {
  let n = 0;
  for (const o of objects) {
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet')
      n += Number((o.spec as { replicas?: number }).replicas ?? 1);
  }
  return n;
}

/**
 * The apply waves: what pods read or run as, then the RoleBindings (RBAC refuses to bind a Role that
 * does not exist yet unless the writer is system:masters, so under the chart's RBAC a parallel apply
 * failed with 404 once), then the pod owners.
 */
const WAVES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['ConfigMap', 'ServiceAccount', 'Role', 'Service']),
  new Set(['RoleBinding']),
];

/**
 * Applies every object whose live copy does not carry the same render hash; returns the writes made.
 * The live copies come from one labelled LIST per kind (not a GET per object), and the applies of a
 * wave run in parallel: configuration and Roles first, then RoleBindings, then Deployments and StatefulSets.
 */
async function applyChanged(kube: KubePort, x: ExperimentObject, objects: KubeObject[]): Promise<number> {
  const kinds = [...new Map(objects.map((o) => [`${o.apiVersion}/${o.kind}`, o])).values()];
  const liveHash = new Map<string, string | undefined>();
  await Promise.all(
    kinds.map(async (k) => {
      const live = await kube.list(
        k.apiVersion,
        k.kind,
        x.metadata.namespace,
        `${EXPERIMENT_LABEL}=${x.metadata.name}`,
      );
      for (const o of live.items)
        liveHash.set(`${k.kind}/${o.metadata.name}`, o.metadata.annotations?.[HASH_ANNOTATION]);
    }),
  );
  const changed = objects.filter((o) => {
    const want = o.metadata.annotations?.[HASH_ANNOTATION];
    return !want || liveHash.get(`${o.kind}/${o.metadata.name}`) !== want;
  });
  for (const wave of [
    ...WAVES.map((kinds) => changed.filter((o) => kinds.has(o.kind))),
    changed.filter((o) => !WAVES.some((kinds) => kinds.has(o.kind))),
  ]) {
    await Promise.all(wave.map((o) => kube.apply(o)));
  }
  return changed.length;
}

function checkSizes(objects: KubeObject[]): void {
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const bytes = Buffer.byteLength(JSON.stringify(o.data ?? {}));
    if (bytes > MAX_CONFIG_BYTES) {
      throw new TerminalError(
        'FleetTooLarge',
        `${objectRef(o)} would hold ${bytes} bytes, over the 1 MiB ConfigMap limit; lower spec.fleet.producers or spec.scale`,
      );
    }
  }
}

function sameStatus(a: OperatorStatus | undefined, b: OperatorStatus): boolean {
  return a !== undefined && stableJson(a) === stableJson(b);
}

/** One pass over experiment `key`. */
export async function reconcile(key: string, deps: ReconcileDeps): Promise<ReconcileResult> {
  const { kube, log } = deps;
  const { namespace, name } = parseKey(key);
  const raw = await kube.get(experimentKey(namespace, name));
  if (!raw) return {};
  const meta = raw.metadata;
  const generation = meta.generation ?? 0;
  const prev = raw.status as OperatorStatus | undefined;

  if (meta.deletionTimestamp) {
    await finalize(raw, deps);
    return {};
  }
  if (!meta.finalizers?.includes(FINALIZER)) {
    await kube.mergePatch(experimentKey(namespace, name), {
      metadata: {
        finalizers: [...(meta.finalizers ?? []), FINALIZER],
        resourceVersion: meta.resourceVersion,
      },
    });
  }

  const now = deps.clock.now();
  const validated = validateSpec(raw.spec);
  const facts: StatusFacts = { generation };
  let thrown: unknown;
  let requeue: number | undefined;

  if (!validated.ok) {
    const errors = validated.errors.map(formatSpecError);
    facts.specErrors = errors;
    facts.failure = { reason: 'InvalidSpec', message: errors.join('; ') };
  } else {
    const x: ExperimentObject = {
      apiVersion: raw.apiVersion,
      kind: raw.kind,
      metadata: { ...meta, namespace, uid: meta.uid ?? '' },
      spec: validated.spec,
    };
    // A sweep provisions nothing itself: it runs its steps as experiments of their own.
    if (x.spec.sweep) return reconcileSweep(x, prev, generation, deps);
    try {
      await step(x, prev, facts, now, deps);
    } catch (err) {
      if (classify(err) === 'terminal') {
        const reason = err instanceof TerminalError ? err.reason : 'Rejected';
        facts.failure = { reason, message: describeError(err) };
      } else {
        thrown = err;
      }
    }
  }

  const status = computeStatus(prev, facts, now);
  if (!sameStatus(prev, status)) {
    await kube.applyStatus({
      apiVersion: raw.apiVersion,
      kind: raw.kind,
      metadata: { name, namespace },
      status,
    });
    await recordTransitions(raw, prev, status, deps);
  }
  if (thrown) throw thrown;
  if (validated.ok) requeue = requeueAfterMs(status, validated.spec, now, deps.timeline);
  log.debug('reconciled', { key, phase: status.phase, requeueAfterMs: requeue });
  return requeue === undefined ? {} : { requeueAfterMs: requeue };
}

/** The stage-dependent work of a pass; fills `facts`. Throws transient or terminal errors. */
async function step(
  x: ExperimentObject,
  prev: OperatorStatus | undefined,
  facts: StatusFacts,
  now: number,
  deps: ReconcileDeps,
): Promise<void> {
  const { kube } = deps;
  const spec = x.spec;
  const stage = stageOf(prev, spec, now);
  let schedule = prev?.startAt ? scheduleFor(spec, Date.parse(prev.startAt)) : undefined;
  const finished = stage === 'await-ttl' || stage === 'cleanup' || stage === 'done';
  if (schedule && !finished) facts.schedule = schedule;
  if (finished && spec.ttlSecondsAfterFinished !== undefined)
    facts.cleanup = stage === 'done' ? 'done' : 'pending';

  if (stage === 'cleanup') {
    await deleteWorkload(x, prev, deps);
    facts.cleanup = 'done';
    return;
  }
  if (finished) return;

  const objects = renderExperiment(renderInput(x, deps));
  const podList = (
    await kube.list('v1', 'Pod', x.metadata.namespace, `${EXPERIMENT_LABEL}=${x.metadata.name}`)
  ).items;
  const livePods = podList.filter((p) => !p.metadata.deletionTimestamp);
  // Short-lived jobs' pods come and go by design: they are neither producers nor part of readiness.
  const isJobPod = (p: KubeObject) => p.metadata.labels?.['app.kubernetes.io/component'] === 'job';
  const jobPods = livePods.filter(isJobPod);
  const pods = livePods.filter((p) => !isJobPod(p)).map(podView);
  const producers: ProducerPod[] = pods
    .filter((p) => p.arm !== undefined)
    .map((p) => ({
      namespace: x.metadata.namespace,
      name: p.name,
      uid: p.uid,
      ...(p.ip ? { ip: p.ip } : {}),
      arm: p.arm!,
      process: p.process,
      ...(p.createdAt ? { createdAt: p.createdAt } : {}),
      ...(p.died ? { died: p.died } : {}),
    }));

  if (stage === 'collect') {
    // The measurement window is over: heal the network before collecting (a fault may outlast the load).
    await deleteNetworkChaos(x, prev, deps);
    await collect(x, prev, facts, schedule!, producers, collectorContainers(livePods), now, deps, jobPods);
    return;
  }

  checkSizes(objects);
  try {
    await applyChanged(kube, x, objects);
    facts.provision = { ok: true, objects: objects.length };
  } catch (err) {
    if (classify(err) === 'terminal') throw err;
    facts.provision = { ok: false, message: describeError(err) };
    throw new TransientError(`apply failed: ${describeError(err)}`, { cause: err });
  }

  const expected = expectedPods(objects);
  const ready = pods.filter((p) => p.ready).length;
  facts.pods = {
    ready,
    total: Math.max(expected, pods.length),
    notReady: pods.filter((p) => !p.ready).map((p) => p.name),
  };

  if (!schedule) {
    if (ready >= expected && pods.length >= expected) {
      schedule = scheduleFor(spec, startAtFor(spec, now));
      facts.schedule = schedule;
    } else if (readyTimedOut(prev, now, deps.timeline)) {
      throw new TerminalError(
        'ReadyTimeout',
        `only ${ready}/${expected} pods became ready within ${deps.timeline.readyTimeoutMs / 1000}s`,
      );
    }
  }
  if (schedule && !spec.load.startAt && now < schedule.startAtMs) {
    await deliverStart(producers, new Date(schedule.startAtMs).toISOString(), prev, facts, deps);
  }
  if (schedule && spec.faults?.length) await applyFaults(x, schedule, producers, prev, facts, now, deps);
  if (spec.networkFaults?.length) await applyNetworkFaults(x, schedule, prev, facts, now, deps);
  if (schedule && spec.jobs?.length) {
    // Once startAt is fixed, each batch's Indexed Job exists (its pods wait for their own starts); the
    // content hash makes every later pass a no-op.
    await applyChanged(kube, x, jobObjects(x, schedule.startAtMs, deps.images));
  }
}

/** Every batch's Job on the schedule fixed at `startAtMs`. */
function jobObjects(x: ExperimentObject, startAtMs: number, images: Images): KubeObject[] {
  const timeline = buildTimeline(startAtMs, x.spec);
  return jobBatchObjects(x, images, (b) => {
    const phase = timeline.phases.find((p) => p.name === b.phase);
    return (phase?.startMs ?? startAtMs) + b.offsetSeconds * 1000;
  }).map(withHash);
}

/**
 * The game day's faults now due (driver/faults.ts): a kill deletes the producer pods with no grace, a hang
 * POSTs /hang to them. Each is recorded in the status once, with the instant, so a later pass (or another
 * operator after a restart) never applies it again and the collect step measures from it.
 */
async function applyFaults(
  x: ExperimentObject,
  schedule: NonNullable<StatusFacts['schedule']>,
  producers: ProducerPod[],
  prev: OperatorStatus | undefined,
  facts: StatusFacts,
  now: number,
  deps: ReconcileDeps,
): Promise<void> {
  const applied = [...(prev?.faultsApplied ?? [])];
  const planned = planFaults(x.spec, buildTimeline(schedule.startAtMs, x.spec));
  for (const f of dueFaults(planned, new Set(applied.map((a) => a.index)), now)) {
    const pods = producers.filter((p) => p.arm === f.arm && f.processes.includes(p.process));
    if (f.kind === 'kill') {
      await Promise.all(
        pods.map((p) =>
          deps.kube.delete(
            { apiVersion: 'v1', kind: 'Pod', namespace: p.namespace, name: p.name },
            'Background',
            0,
          ),
        ),
      );
    } else {
      const until = f.untilMs ?? schedule.drainEndMs + 60_000;
      await Promise.all(pods.map((p) => deps.reach.hangProducer(p, Math.max(0.1, (until - now) / 1000))));
    }
    applied.push({
      index: f.index,
      at: new Date(now).toISOString(),
      producers: f.producers,
      pods: pods.map((p) => p.name),
    });
    deps.log.info('fault applied', {
      key: `${x.metadata.namespace}/${x.metadata.name}`,
      fault: f.index,
      kind: f.kind,
    });
  }
  facts.faultsApplied = applied;
}

/** The applied faults in the measurement's terms. */
function appliedFaults(x: ExperimentObject, prev: OperatorStatus | undefined): AppliedFault[] {
  return (prev?.faultsApplied ?? []).flatMap((a) => {
    const f = x.spec.faults?.[a.index];
    if (!f) return [];
    const atMs = Date.parse(a.at);
    const untilMs =
      f.kind === 'hang' && f.durationSeconds !== undefined ? atMs + f.durationSeconds * 1000 : null;
    return [{ kind: f.kind, arm: f.arm, atMs, untilMs, producers: a.producers }];
  });
}

/** POSTs the fixed startAt to every producer pod that has not acknowledged it (by pod UID). */
async function deliverStart(
  producers: ProducerPod[],
  startAt: string,
  prev: OperatorStatus | undefined,
  facts: StatusFacts,
  deps: ReconcileDeps,
): Promise<void> {
  const uid = (p: ProducerPod) => p.uid ?? p.name;
  const already = new Set(prev?.startDelivered ?? []);
  const delivered = producers.map(uid).filter((u) => already.has(u));
  const undelivered: string[] = [];
  await Promise.all(
    producers
      .filter((p) => !already.has(uid(p)))
      .map(async (p) => {
        try {
          await deps.reach.startProducer(p, startAt);
          delivered.push(uid(p));
        } catch (err) {
          undelivered.push(`${p.name}: ${describeError(err).slice(0, 200)}`);
        }
      }),
  );
  facts.startDelivered = delivered;
  facts.startUndelivered = undelivered;
}

async function collect(
  x: ExperimentObject,
  prev: OperatorStatus | undefined,
  facts: StatusFacts,
  schedule: NonNullable<StatusFacts['schedule']>,
  producers: ProducerPod[],
  collectorPods: CollectorContainer[],
  now: number,
  deps: ReconcileDeps,
  jobPods: readonly KubeObject[],
): Promise<void> {
  const missing = [
    ...(prev?.startUndelivered ?? []).map(
      (u) =>
        `producer pod ${u.split(':')[0]} never received startAt (${u.slice(u.indexOf(':') + 2)}); its load may be missing`,
    ),
    ...networkFaultLines(x, prev),
  ];
  const replaced = replacedProducers(producers, prev, schedule.startAtMs);
  const fleetStartedAt = provisionedAt(prev);
  try {
    const report = await deps.collect(
      {
        experiment: x,
        schedule,
        createdAt: x.metadata.creationTimestamp ?? new Date(now).toISOString(),
        ...(fleetStartedAt ? { fleetStartedAt } : {}),
        nowMs: now,
        producers: producers.map((p) => replaced.get(p) ?? p),
        images: deps.images,
        missing,
        faults: appliedFaults(x, prev),
        ...(x.spec.jobs?.length ? { jobs: jobLedgersFromPods(x.spec, jobPods) } : {}),
        collectorPods,
        ...(deps.kubeletRelay ? { kubeletRelay: deps.kubeletRelay } : {}),
      },
      { reach: deps.reach },
    );
    const cm = reportConfigMap(x, report);
    await deps.kube.apply(cm);
    const { summary, arms } = summarizeReport(report);
    facts.report = { configMap: cm.metadata.name, summary, arms };
    if (x.spec.ttlSecondsAfterFinished !== undefined) facts.cleanup = 'pending';
  } catch (err) {
    if (classify(err) === 'terminal' || collectTimedOut(prev, x.spec, now, deps.timeline)) {
      throw new TerminalError('CollectFailed', describeError(err));
    }
    facts.collectError = describeError(err);
    throw new TransientError(`collect failed: ${describeError(err)}`, { cause: err });
  }
}

/**
 * Producer pods that are not the ones the load started with: their UID never acknowledged startAt, though
 * the start was delivered before the load (so the pod that did was deleted or evicted, and its controller
 * made this one, unarmed). Each is marked as died, so the report names it and the verdict knows.
 */
function replacedProducers(
  producers: readonly ProducerPod[],
  prev: OperatorStatus | undefined,
  startAtMs: number,
): Map<ProducerPod, ProducerPod> {
  const delivered = new Set(prev?.startDelivered ?? []);
  const out = new Map<ProducerPod, ProducerPod>();
  if (delivered.size === 0) return out;
  for (const p of producers) {
    if (p.died || delivered.has(p.uid ?? p.name)) continue;
    out.set(p, {
      ...p,
      died: {
        at: new Date(startAtMs).toISOString(),
        detail:
          'replaced during the run: the pod the load started with was deleted, and this one never received startAt',
      },
    });
  }
  return out;
}

/** When the workload was first applied (the Provisioned condition turned True). */
function provisionedAt(prev: OperatorStatus | undefined): string | undefined {
  const c = findCondition(prev?.conditions, PROVISIONED);
  return c?.status === 'True' ? c.lastTransitionTime : undefined;
}

/**
 * Deletes the rendered workload (the batches' Jobs first, then producers so they stop before their
 * collectors) and the network faults' NetworkChaos objects the status records.
 */
async function deleteWorkload(
  x: ExperimentObject,
  status: OperatorStatus | undefined,
  deps: ReconcileDeps,
): Promise<number> {
  let deleted = await deleteNetworkChaos(x, status, deps);
  const objects = [
    ...renderExperiment(renderInput(x, deps)),
    // Names only matter here: any startAt gives the same Job names.
    ...(x.spec.jobs?.length ? jobObjects(x, 0, deps.images) : []),
  ];
  const order = (o: KubeObject) =>
    o.kind === 'Job' ? 0 : o.kind === 'StatefulSet' ? 1 : o.kind === 'Deployment' ? 2 : 3;
  for (const o of [...objects].sort((a, b) => order(a) - order(b))) {
    const ref = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      namespace: x.metadata.namespace,
    };
    // A Job's pods go with it (the API's default for Jobs would orphan them).
    const gone = await (o.kind === 'Job' ? deps.kube.delete(ref, 'Background') : deps.kube.delete(ref));
    if (gone) deleted++;
  }
  return deleted;
}

/** The experiment is being deleted: delete the workload in order, then release the finalizer. */
async function finalize(raw: KubeObject, deps: ReconcileDeps): Promise<void> {
  const meta = raw.metadata;
  if (!meta.finalizers?.includes(FINALIZER)) return;
  const validated = validateSpec(raw.spec);
  if (validated.ok) {
    const x: ExperimentObject = {
      apiVersion: raw.apiVersion,
      kind: raw.kind,
      metadata: { ...meta, namespace: meta.namespace ?? '', uid: meta.uid ?? '' },
      spec: validated.spec,
    };
    await deleteWorkload(x, raw.status as OperatorStatus | undefined, deps);
  }
  await deps.kube.mergePatch(experimentKey(meta.namespace ?? '', meta.name), {
    metadata: {
      finalizers: meta.finalizers.filter((f) => f !== FINALIZER),
      resourceVersion: meta.resourceVersion,
    },
  });
  deps.log.info('finalizer released', { key: `${meta.namespace}/${meta.name}` });
}

/** One Event per phase change (Warning for Failed), on the experiment. */
async function recordTransitions(
  raw: KubeObject,
  prev: OperatorStatus | undefined,
  status: OperatorStatus,
  deps: ReconcileDeps,
): Promise<void> {
  if (prev?.phase === status.phase) return;
  const failed = status.phase === 'Failed';
  try {
    await deps.kube.createEvent({
      involved: raw,
      type: failed ? 'Warning' : 'Normal',
      reason: status.phase ?? 'Unknown',
      message: status.message ?? '',
    });
  } catch (err) {
    // An Event is a courtesy: the status already carries the transition, so a failed Event is only logged.
    deps.log.warn('event not recorded', { error: describeError(err), manager: FIELD_MANAGER });
  }
}

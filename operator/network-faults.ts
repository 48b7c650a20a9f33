/**
 * The game day's network faults in a cluster (spec.networkFaults), called by reconcile.ts at every pass of
 * a running experiment: asks (cached) whether the API server serves Chaos Mesh's NetworkChaos, and at each
 * fault's time creates its NetworkChaos objects (server-side apply, owned by the experiment) or records
 * why it was not applied; each fault is handled once and recorded in status.networkFaults, so a later
 * pass or another operator never applies it again. Without Chaos Mesh the NetworkFaults condition says so,
 * one Warning Event is recorded, and the run goes on unchanged. The objects are deleted when the
 * experiment finishes (and garbage-collected with it). docs/operator.md.
 */

import { dueNetworkFaults, planNetworkFaults } from '../driver/network-faults.ts';
import { buildTimeline } from '../schedule/timeline.ts';
import { classify, describeError } from './errors.ts';
import type { ReconcileDeps } from './reconcile.ts';
import { EXPERIMENT_LABEL } from './render/names.ts';
import {
  CHAOS_MESH_API_VERSION,
  collectorServiceName,
  describeNetworkFault,
  NETWORK_CHAOS_KIND,
  renderNetworkChaos,
} from './render/network-chaos.ts';
import type { ExperimentObject, KubeObject } from './render/types.ts';
import type { ScheduleFacts, StatusFacts } from './status/compute.ts';
import { findCondition, NETWORK_FAULTS } from './status/conditions.ts';
import { CHAOS_MESH_MISSING } from './status/network-faults.ts';
import type { NetworkFaultStatus, OperatorStatus } from './status/types.ts';

/** Handles the network faults due at `now`; fills facts.networkFaults. */
export async function applyNetworkFaults(
  x: ExperimentObject,
  schedule: ScheduleFacts | undefined,
  prev: OperatorStatus | undefined,
  facts: StatusFacts,
  now: number,
  deps: ReconcileDeps,
): Promise<void> {
  const faults = x.spec.networkFaults ?? [];
  if (faults.length === 0) return;
  const chaosMesh = await deps.served.served(deps.kube, CHAOS_MESH_API_VERSION, NETWORK_CHAOS_KIND);
  const handled: NetworkFaultStatus[] = [...(prev?.networkFaults ?? [])];
  facts.networkFaults = { chaosMesh, handled, faults };
  if (!chaosMesh) await warnOnce(x, prev, deps);
  if (!schedule) return;

  const planned = planNetworkFaults(x.spec, buildTimeline(schedule.startAtMs, x.spec));
  const due = dueNetworkFaults(planned, new Set(handled.map((h) => h.index)), now);
  if (due.length === 0) return;
  const at = new Date(now).toISOString();
  const serviceIPs = chaosMesh ? await collectorServiceIPs(x, deps) : new Map<string, string>();
  for (const p of due) {
    const key = `${x.metadata.namespace}/${x.metadata.name}`;
    const notApplied = (reason: string) => {
      handled.push({ index: p.index, at, notApplied: reason });
      deps.log.warn('network fault not applied', { key, fault: p.index, reason });
    };
    if (now >= p.healMs) {
      notApplied(
        `its window (${new Date(p.atMs).toISOString()} to ${new Date(p.healMs).toISOString()}) had passed when the operator reached it`,
      );
      continue;
    }
    if (!chaosMesh) {
      notApplied(CHAOS_MESH_MISSING);
      continue;
    }
    const service = collectorServiceName(x, p.fault.arm);
    const rendered = renderNetworkChaos({
      experiment: x,
      index: p.index,
      ...(service && serviceIPs.has(service) ? { collectorServiceIP: serviceIPs.get(service)! } : {}),
      durationMs: p.healMs - now,
    });
    if (!rendered.ok) {
      notApplied(rendered.reason);
      continue;
    }
    try {
      await Promise.all(rendered.objects.map((o) => deps.kube.apply(o)));
    } catch (err) {
      // A refusal (Chaos Mesh's admission webhook, a CRD of another shape) will not pass on a retry.
      if (classify(err) !== 'terminal') throw err;
      notApplied(`the API server refused its NetworkChaos: ${describeError(err)}`);
      continue;
    }
    handled.push({ index: p.index, at, objects: rendered.objects.map((o) => o.metadata.name) });
    deps.log.info('network fault applied', {
      key,
      fault: p.index,
      kind: p.fault.kind,
      objects: rendered.objects.map((o) => o.metadata.name),
    });
  }
}

/** The ClusterIP of each of the experiment's Services, by name (one labelled list, as the apply does). */
async function collectorServiceIPs(x: ExperimentObject, deps: ReconcileDeps): Promise<Map<string, string>> {
  const services = await deps.kube.list(
    'v1',
    'Service',
    x.metadata.namespace,
    `${EXPERIMENT_LABEL}=${x.metadata.name}`,
  );
  const out = new Map<string, string>();
  for (const s of services.items) {
    const ip = s.spec?.clusterIP;
    if (ip && ip !== 'None') out.set(s.metadata.name, ip);
  }
  return out;
}

/** One Warning Event when the condition first says Chaos Mesh is missing (a courtesy: status says it too). */
async function warnOnce(x: ExperimentObject, prev: OperatorStatus | undefined, deps: ReconcileDeps) {
  if (findCondition(prev?.conditions, NETWORK_FAULTS)?.reason === 'ChaosMeshMissing') return;
  const faults = x.spec.networkFaults ?? [];
  try {
    await deps.kube.createEvent({
      involved: x as unknown as KubeObject,
      type: 'Warning',
      reason: 'ChaosMeshMissing',
      message: `${CHAOS_MESH_MISSING}; the run goes on without ${faults.map((f, i) => describeNetworkFault(f, i)).join(', ')}`,
    });
  } catch (err) {
    deps.log.warn('event not recorded', { error: describeError(err) });
  }
}

/** Deletes the NetworkChaos objects the status records (the experiment finished, or is being deleted). */
export async function deleteNetworkChaos(
  x: ExperimentObject,
  status: OperatorStatus | undefined,
  deps: ReconcileDeps,
): Promise<number> {
  let deleted = 0;
  for (const name of (status?.networkFaults ?? []).flatMap((h) => h.objects ?? [])) {
    const gone = await deps.kube.delete({
      apiVersion: CHAOS_MESH_API_VERSION,
      kind: NETWORK_CHAOS_KIND,
      namespace: x.metadata.namespace,
      name,
    });
    if (gone) deleted++;
  }
  return deleted;
}

/**
 * What the report says of each network fault (run.missing): not applied, with the reason; applied, and
 * that a cluster run does not count the packets Chaos Mesh dropped or held (its daemon keeps no count).
 */
export function networkFaultLines(x: ExperimentObject, status: OperatorStatus | undefined): string[] {
  const byIndex = new Map((status?.networkFaults ?? []).map((h) => [h.index, h]));
  return (x.spec.networkFaults ?? []).map((f, i) => {
    const name = describeNetworkFault(f, i);
    const h = byIndex.get(i);
    if (!h) return `${name}: not applied: no pass of the operator reached its time before the run ended`;
    if (h.notApplied) return `${name}: not applied: ${h.notApplied}`;
    return `${name}: applied at ${h.at} as Chaos Mesh NetworkChaos ${h.objects!.join(', ')}; in a cluster the packets it dropped, held or limited are not counted (Chaos Mesh's status says whether it was injected)`;
  });
}

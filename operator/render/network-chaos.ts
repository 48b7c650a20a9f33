/**
 * A network fault of `spec.networkFaults` as Chaos Mesh NetworkChaos objects (chaos-mesh.org/v1alpha1),
 * pure: the experiment, the fault's index and the collector Service's ClusterIP in, the objects out (owned
 * by the experiment, labelled like the workload). The reconciler creates them at the fault's instant
 * (operator/network-faults.ts); Chaos Mesh's own daemon injects them. docs/operator.md explains the mapping.
 *
 * The selector is the arm's producer pods, the target the arm's collector pods, so only the path under
 * test is touched (the operator's reads through the apiserver proxy and the rig Prometheus are not).
 * Chaos Mesh's `to` is the packets from the selected pods to the target, `from` the packets back; it
 * shapes a packet on its sender's egress, matching the receiver's pod IP (tc for loss/delay/bandwidth) and
 * also drops it on the receiver's ingress (iptables for partition). Push producers send to the collector's
 * ClusterIP, translated only after the packet left the producer, so where the packets to the collector
 * are shaped the ClusterIP is added as an external target; Chaos Mesh accepts external targets for tc
 * actions with `to` only, so such a fault in both directions becomes two objects, `-to` and `-from`.
 */
import type { ArmName, NetworkFault } from '../../api/v1alpha1/schema.ts';
import { type Component, names, ownedMeta, selectorLabels } from './names.ts';
import type { ExperimentObject, KubeObject } from './types.ts';

export const CHAOS_MESH_API_VERSION = 'chaos-mesh.org/v1alpha1';
export const NETWORK_CHAOS_KIND = 'NetworkChaos';
/** Each NetworkChaos carries the index of its fault in spec.networkFaults here. */
export const NETWORK_FAULT_LABEL = 'pushpull.dev/network-fault';

/** Chaos Mesh's pod selector, as far as we use it. */
interface ChaosPodSelector {
  namespaces: string[];
  labelSelectors: Record<string, string>;
}

/** The fields of a NetworkChaos spec the operator writes (Chaos Mesh's API, chaos-mesh.org/v1alpha1). */
export interface NetworkChaosSpecView {
  action: NetworkFault['kind'];
  mode: 'all';
  selector: ChaosPodSelector;
  direction: 'to' | 'from' | 'both';
  target: { mode: 'all'; selector: ChaosPodSelector };
  externalTargets?: string[];
  duration: string;
  loss?: { loss: string; correlation: string };
  delay?: { latency: string; correlation: string; jitter: string };
  bandwidth?: { rate: string; limit: number; buffer: number };
}

/** The smallest token bucket that passes a full Ethernet frame twice over, in bytes. */
const MIN_BURST_BYTES = 2 * 1514;

export interface NetworkChaosInput {
  experiment: ExperimentObject;
  /** The fault's index in spec.networkFaults. */
  index: number;
  /** The ClusterIP of the arm's collector Service (push arms send to it); unused for pull. */
  collectorServiceIP?: string;
  /** How long from now the fault lasts; default its durationSeconds (one applied late still ends on time). */
  durationMs?: number;
}

/** The objects, or why the fault cannot be a NetworkChaos in this experiment. */
export type NetworkChaosRender = { ok: true; objects: KubeObject[] } | { ok: false; reason: string };

/** Whose pods carry an arm's collector, and how its producers reach it. */
const COLLECTOR: Record<ArmName, { component: Component; viaService: boolean }> = {
  // The subject Prometheus scrapes the producer pods' own IPs (kubernetes_sd, role pod).
  pull: { component: 'prometheus', viaService: false },
  statsd: { component: 'statsd-exporter', viaService: true },
  otlp: { component: 'otelcol', viaService: true },
};

/** The collector Service a push arm's producers send to (undefined for pull). */
export function collectorServiceName(x: ExperimentObject, arm: ArmName): string | undefined {
  if (arm === 'statsd') return names.statsd(x.metadata.name);
  if (arm === 'otlp') return names.otelcol(x.metadata.name);
  return undefined;
}

/** `loss 30% on statsd, to-collector, 12s` — how reports and conditions name a fault. */
export function describeNetworkFault(f: NetworkFault, index: number): string {
  const what =
    f.kind === 'loss'
      ? `loss ${percent(f.lossShare ?? 0)}%`
      : f.kind === 'bandwidth'
        ? `bandwidth ${f.bitsPerSecond} bit/s`
        : f.kind === 'delay'
          ? `delay ${f.delayMilliseconds} ms`
          : 'partition';
  return `networkFaults[${index}] (${what} on ${f.arm}, ${f.direction}, ${f.durationSeconds}s)`;
}

/** spec.networkFaults[index] as NetworkChaos objects. */
export function renderNetworkChaos(input: NetworkChaosInput): NetworkChaosRender {
  const x = input.experiment;
  const f = x.spec.networkFaults?.[input.index];
  if (!f) throw new RangeError(`spec.networkFaults[${input.index}] does not exist`);
  if (f.arm === 'pull' && x.spec.collection.prometheusURL) {
    return {
      ok: false,
      reason:
        'the pull arm is scraped by a Prometheus outside the experiment (spec.collection.prometheusURL); a NetworkChaos can only target pods',
    };
  }
  const collector = COLLECTOR[f.arm];
  const toCollector = f.direction !== 'from-collector';
  const external = collector.viaService && toCollector;
  if (external && !input.collectorServiceIP) {
    return {
      ok: false,
      reason: `the ${f.arm} collector Service ${collectorServiceName(x, f.arm)} has no ClusterIP`,
    };
  }
  const tc = f.kind !== 'partition';
  const direction = { 'to-collector': 'to', 'from-collector': 'from', both: 'both' } as const;
  const parts: Array<{ part?: 'to' | 'from'; direction: 'to' | 'from' | 'both'; external: boolean }> =
    tc && external && f.direction === 'both'
      ? [
          { part: 'to', direction: 'to', external: true },
          { part: 'from', direction: 'from', external: false },
        ]
      : [{ direction: direction[f.direction], external }];
  const durationMs = Math.max(1, Math.round(input.durationMs ?? f.durationSeconds * 1000));
  const podSelector = (component: Component) => ({
    namespaces: [x.metadata.namespace],
    labelSelectors: selectorLabels(x.metadata.name, component),
  });
  const objects = parts.map((p): KubeObject => {
    const meta = ownedMeta(x, names.networkChaos(x.metadata.name, input.index, p.part), 'network-fault');
    const spec: NetworkChaosSpecView = {
      action: f.kind,
      mode: 'all',
      selector: podSelector(`producer-${f.arm}`),
      direction: p.direction,
      target: { mode: 'all', selector: podSelector(collector.component) },
      ...(p.external ? { externalTargets: [input.collectorServiceIP!] } : {}),
      duration: `${durationMs}ms`,
      ...actionFields(f),
    };
    return {
      apiVersion: CHAOS_MESH_API_VERSION,
      kind: NETWORK_CHAOS_KIND,
      metadata: { ...meta, labels: { ...meta.labels, [NETWORK_FAULT_LABEL]: String(input.index) } },
      spec,
    };
  });
  return { ok: true, objects };
}

/** The action's own fields, in Chaos Mesh's units. */
function actionFields(f: NetworkFault): Partial<NetworkChaosSpecView> {
  switch (f.kind) {
    case 'loss':
      // Chaos Mesh takes a percentage, as a string.
      return { loss: { loss: percent(f.lossShare ?? 0), correlation: '0' } };
    case 'delay':
      return { delay: { latency: `${f.delayMilliseconds}ms`, correlation: '0', jitter: '0ms' } };
    case 'bandwidth': {
      // A token bucket (tc tbf): bursts of 10 ms of the rate (at least two full frames), a queue of
      // 100 ms of the rate; what does not fit the queue is dropped.
      const bytesPerSecond = (f.bitsPerSecond ?? 0) / 8;
      const buffer = Math.max(MIN_BURST_BYTES, Math.ceil(bytesPerSecond / 100));
      const limit = Math.max(buffer, Math.ceil(bytesPerSecond / 10));
      return { bandwidth: { rate: `${f.bitsPerSecond}bit`, limit, buffer } };
    }
    case 'partition':
      return {};
  }
}

/** 0.3 → "30", without float noise. */
function percent(share: number): string {
  return String(Number((share * 100).toPrecision(12)));
}

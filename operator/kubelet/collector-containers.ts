/**
 * The collectors under test as containers of an experiment's pods: which container of which pod on
 * which node is each collector, and what its status says of restarts and OOM kills. Pure; the kubelet
 * relay (cadvisor-relay.ts) keeps their cAdvisor series, the collect step reads their restarts.
 */
import type { CollectorName } from '../../api/v1alpha1/schema.ts';
import type { KubeObject } from '../../kube/objects.ts';

/** The component label of each collector's pod and its container there (operator/render/). */
export const COLLECTOR_CONTAINERS: ReadonlyArray<{
  component: string;
  container: string;
  collector: CollectorName;
}> = [
  { component: 'prometheus', container: 'prometheus', collector: 'prometheus' },
  { component: 'statsd-exporter', container: 'statsd-exporter', collector: 'statsd' },
  { component: 'otelcol', container: 'otelcol', collector: 'otelcol' },
];

/** One collector container, as its pod shows it. */
export interface CollectorContainer {
  collector: CollectorName;
  namespace: string;
  pod: string;
  container: string;
  /** The node's name and address (absent until the pod is scheduled and started). */
  node?: string;
  hostIP?: string;
  /** The container's restartCount. */
  restarts: number;
  /** When a run of it ended OOMKilled (the current state or the last one), ISO. */
  oomKilledAt: string[];
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { terminated?: { reason?: string; finishedAt?: string } };
  lastState?: { terminated?: { reason?: string; finishedAt?: string } };
}

/** The collector containers of `pods` (an experiment's pods), in pod order. */
export function collectorContainers(pods: readonly KubeObject[]): CollectorContainer[] {
  const out: CollectorContainer[] = [];
  for (const p of pods) {
    const component = p.metadata.labels?.['app.kubernetes.io/component'];
    const c = COLLECTOR_CONTAINERS.find((x) => x.component === component);
    if (!c) continue;
    const spec = p.spec as { nodeName?: string } | undefined;
    const status = p.status as { hostIP?: string; containerStatuses?: ContainerStatus[] } | undefined;
    const cs = status?.containerStatuses?.find((s) => s.name === c.container);
    const oomKilledAt = [cs?.state?.terminated, cs?.lastState?.terminated]
      .filter((t) => t?.reason === 'OOMKilled')
      .map((t) => t!.finishedAt ?? '');
    out.push({
      collector: c.collector,
      namespace: p.metadata.namespace ?? '',
      pod: p.metadata.name,
      container: c.container,
      ...(spec?.nodeName ? { node: spec.nodeName } : {}),
      ...(status?.hostIP ? { hostIP: status.hostIP } : {}),
      restarts: cs?.restartCount ?? 0,
      oomKilledAt: [...new Set(oomKilledAt)],
    });
  }
  return out;
}

/**
 * The kubelet relay: the rig Prometheus scrapes `/kubelet/cadvisor?namespace=NS&experiment=NAME` on the
 * operator's metrics port, and the operator answers with the cAdvisor series of that experiment's
 * collector containers, read from each node's kubelet (`GET https://NODE:10250/metrics/cadvisor`) with
 * its own identity. So the only new permission is `get nodes/metrics` on the operator, not a cluster-wide
 * grant to every experiment's Prometheus, nor `nodes/proxy` (which is the whole kubelet API, exec
 * included). Each node's answer is also a `pushpull_kubelet_up` sample, so a report can say why a
 * collector's use is missing. Called by operator/manager.ts; docs/operator.md explains the choice.
 */
import type { KubePort } from '../k8s/port.ts';
import { EXPERIMENT_LABEL } from '../render/names.ts';
import { filterCadvisor } from './cadvisor-filter.ts';
import { collectorContainers } from './collector-containers.ts';

export interface RelayOptions {
  kube: KubePort;
  /** The kubelets' port (10250 unless the cluster says otherwise). */
  kubeletPort: number;
  timeoutMs: number;
  /** The namespace the operator watches; undefined: all. */
  watchNamespace?: string;
}

/** A DNS label or subdomain, as namespaces and object names are. */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The relay's answer: an HTTP status and a text exposition (or an error sentence). */
export async function relayCadvisor(
  query: URLSearchParams,
  o: RelayOptions,
): Promise<{ status: number; text: string }> {
  const namespace = query.get('namespace') ?? '';
  const experiment = query.get('experiment') ?? '';
  if (!NAME.test(namespace) || !NAME.test(experiment)) {
    return {
      status: 400,
      text: 'namespace and experiment: each must be a Kubernetes object name (e.g. ?namespace=default&experiment=quick)\n',
    };
  }
  if (o.watchNamespace !== undefined && namespace !== o.watchNamespace) {
    return { status: 404, text: `this operator watches namespace ${o.watchNamespace} only\n` };
  }
  const pods = await o.kube.list('v1', 'Pod', namespace, `${EXPERIMENT_LABEL}=${experiment}`);
  const containers = collectorContainers(pods.items).filter((c) => c.node && c.hostIP);
  const nodes = new Map<string, string>();
  for (const c of containers) nodes.set(c.node!, c.hostIP!);
  const texts: string[] = [];
  const up: string[] = [];
  for (const [node, address] of [...nodes].sort(([a], [b]) => a.localeCompare(b))) {
    let error = '';
    try {
      const res = await o.kube.kubeletMetrics({
        node,
        address,
        port: o.kubeletPort,
        path: '/metrics/cadvisor',
        timeoutMs: o.timeoutMs,
      });
      if (res.status === 200) texts.push(res.body);
      else error = `HTTP ${res.status}: ${res.body.trim().slice(0, 120)}`;
    } catch (err) {
      error = (err as Error).message.slice(0, 160);
    }
    const label = (s: string) => JSON.stringify(s);
    up.push(`pushpull_kubelet_up{node=${label(node)},error=${label(error)}} ${error ? 0 : 1}`);
  }
  const head = [
    '# HELP pushpull_kubelet_up Whether the node kubelet answered the relay (error: why not).',
    '# TYPE pushpull_kubelet_up gauge',
    ...up,
  ];
  return { status: 200, text: `${head.join('\n')}\n${filterCadvisor(texts, containers)}` };
}

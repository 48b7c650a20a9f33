/**
 * The fake Nodes of the dev cluster: plain Node objects carrying kwok's annotation, a hostname label
 * and generous capacity, so the real kube-scheduler places Pods on them and kwok plays their kubelet.
 * No taint: every Node here is fake, so workloads need no toleration. Pure; devcluster/cluster.ts
 * creates them, tests read `isNodeSchedulable`.
 */
import { KWOK_NODE_ANNOTATION, KWOK_NODE_ANNOTATION_VALUE } from './components.ts';

/** Allocatable resources of one fake Node (Kubernetes quantities). */
export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
}

/** Enough for dozens of experiments' producers and collectors at their requested resources. */
export const DEFAULT_NODE_CAPACITY: NodeCapacity = { cpu: '64', memory: '256Gi', pods: '500' };

/** The label every fake Node carries, for selectors in tests. */
export const FAKE_NODE_LABEL = 'pushpull.dev/devcluster-node';

/** Pure: the names of `count` fake Nodes: kwok-node-1, kwok-node-2, ... */
export function fakeNodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `kwok-node-${i + 1}`);
}

/** Pure: the Node object for fake Node number `index` (1-based; it picks the node's InternalIP). */
export function fakeNode(name: string, index: number, capacity: NodeCapacity = DEFAULT_NODE_CAPACITY) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: KWOK_NODE_ANNOTATION_VALUE },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        [FAKE_NODE_LABEL]: 'true',
      },
    },
    spec: {},
    status: {
      capacity: { ...capacity },
      allocatable: { ...capacity },
      addresses: [
        { type: 'InternalIP', address: `10.240.0.${10 + index}` },
        { type: 'Hostname', address: name },
      ],
    },
  };
}

interface NodeLike {
  spec?: { taints?: { key: string; effect: string }[]; unschedulable?: boolean };
  status?: { conditions?: { type: string; status: string }[] };
}

/**
 * Pure: the Node is Ready and carries no NoSchedule/NoExecute taint (the node-lifecycle controller
 * adds `node.kubernetes.io/not-ready` until kwok reports Ready, and removes it after).
 */
export function isNodeSchedulable(node: NodeLike): boolean {
  const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const blocking = (node.spec?.taints ?? []).some(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  return ready && !blocking && node.spec?.unschedulable !== true;
}

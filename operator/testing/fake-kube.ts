/**
 * An in-memory KubePort for unit tests of the reconcile logic (no API server semantics beyond what the
 * reconciler relies on: get/list by label, apply replaces the object but keeps status, status apply,
 * merge patch of finalizers, delete). Counts every write, so tests can assert a no-op pass writes nothing.
 * The real API server is exercised by the .itest.ts files.
 */

import type { KubeObject } from '../../kube/objects.ts';
import type { EventInput, KubeletRequest, KubePort, ObjectKey, ProxyRequest } from '../k8s/port.ts';

const keyOf = (k: { kind: string; namespace?: string; name: string }) =>
  `${k.kind}/${k.namespace ?? ''}/${k.name}`;

export class FakeKube implements KubePort {
  readonly objects = new Map<string, KubeObject>();
  readonly writes: string[] = [];
  readonly events: EventInput[] = [];
  /** The `apiVersion/kind`s beyond the built-in ones the fake API server serves (e.g. Chaos Mesh's). */
  readonly servedKinds = new Set<string>();
  #rv = 1;

  put(obj: KubeObject): KubeObject {
    const clone = structuredClone(obj);
    const stored: KubeObject = {
      ...clone,
      metadata: {
        ...clone.metadata,
        resourceVersion: String(this.#rv++),
        uid: clone.metadata.uid ?? `uid-${obj.kind}-${obj.metadata.name}`,
      },
    };
    this.objects.set(
      keyOf({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }),
      stored,
    );
    return structuredClone(stored);
  }

  /** Creates a Ready pod (with an IP and a pod index) for every replica of each Deployment/StatefulSet in `namespace`. */
  markPodsReady(namespace: string): void {
    const owners = [...this.objects.values()].filter(
      (o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.namespace === namespace,
    );
    for (const o of owners) {
      const spec = o.spec as { replicas: number; template: { metadata: { labels: Record<string, string> } } };
      for (let i = 0; i < Number(spec.replicas); i++) {
        this.put({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${o.metadata.name}-${i}`,
            namespace,
            labels: { ...spec.template.metadata.labels, 'apps.kubernetes.io/pod-index': String(i) },
          },
          status: { podIP: `10.0.0.${i}`, conditions: [{ type: 'Ready', status: 'True' }] },
        });
      }
    }
  }

  /** Gives every Service in `namespace` that is not headless a ClusterIP, as the API server does. */
  assignClusterIPs(namespace: string): void {
    let n = 10;
    for (const o of [...this.objects.values()]) {
      const spec = o.spec as { clusterIP?: string } | undefined;
      if (o.kind !== 'Service' || o.metadata.namespace !== namespace || spec?.clusterIP) continue;
      this.put({ ...o, spec: { ...spec, clusterIP: `10.96.0.${n++}` } });
    }
  }

  find(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(keyOf({ kind, namespace, name }));
  }

  async get(key: ObjectKey) {
    const o = this.objects.get(keyOf(key));
    return o ? structuredClone(o) : undefined;
  }

  async list(_apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string) {
    const wanted = (labelSelector ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]);
    const items = [...this.objects.values()].filter(
      (o) =>
        o.kind === kind &&
        (namespace === undefined || o.metadata.namespace === namespace) &&
        wanted.every(([k, v]) => o.metadata.labels?.[k] === v),
    );
    return { items: structuredClone(items), resourceVersion: String(this.#rv) };
  }

  async apply(obj: KubeObject) {
    this.writes.push(`apply ${obj.kind}/${obj.metadata.name}`);
    const live = this.objects.get(
      keyOf({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }),
    );
    return this.put({
      ...obj,
      ...(live?.status ? { status: live.status } : {}),
      metadata: { ...live?.metadata, ...obj.metadata },
    });
  }

  async applyStatus(obj: KubeObject & { status: unknown }) {
    this.writes.push(`status ${obj.kind}/${obj.metadata.name}`);
    const live = this.objects.get(
      keyOf({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }),
    );
    if (!live) throw new Error('not found');
    return this.put({ ...live, status: obj.status });
  }

  async mergePatch(key: ObjectKey, patch: Record<string, unknown>) {
    this.writes.push(`patch ${key.kind}/${key.name}`);
    const live = this.objects.get(keyOf(key));
    if (!live) throw new Error('not found');
    const meta = (patch.metadata ?? {}) as Record<string, unknown>;
    const { resourceVersion: _rv, ...rest } = meta;
    const next = this.put({ ...live, metadata: { ...live.metadata, ...rest } });
    if (live.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0)
      this.objects.delete(keyOf(key));
    return next;
  }

  async create(obj: KubeObject) {
    this.writes.push(`create ${obj.kind}/${obj.metadata.name}`);
    return this.put(obj);
  }

  async replace(obj: KubeObject) {
    this.writes.push(`replace ${obj.kind}/${obj.metadata.name}`);
    return this.put(obj);
  }

  async delete(key: ObjectKey) {
    this.writes.push(`delete ${key.kind}/${key.name}`);
    return this.objects.delete(keyOf(key));
  }

  async watch(): Promise<{ stop(): void }> {
    return { stop() {} };
  }

  async createEvent(e: EventInput) {
    this.events.push(e);
  }

  async served(apiVersion: string, kind: string) {
    return this.servedKinds.has(`${apiVersion}/${kind}`);
  }

  async proxy(_req: ProxyRequest): Promise<{ status: number; body: string }> {
    return { status: 503, body: 'no proxy in the fake' };
  }

  /** Each node's cAdvisor text, by node name (tests put it); a node without one answers 503. */
  readonly kubelets = new Map<string, string>();

  async kubeletMetrics(req: KubeletRequest): Promise<{ status: number; body: string }> {
    const text = this.kubelets.get(req.node);
    return text === undefined ? { status: 503, body: 'no kubelet in the fake' } : { status: 200, body: text };
  }
}

/**
 * A KubePort that forwards to another (the fake, in unit tests) and records each call's method and
 * kind, so operator/rbac.test.ts can derive the RBAC the operator needs from what it really calls.
 */
import type { PortCall } from '../k8s/permissions.ts';
import type {
  EventInput,
  KubeletRequest,
  KubePort,
  ObjectKey,
  ProxyRequest,
  WatchOptions,
} from '../k8s/port.ts';
import type { KubeObject } from '../render/types.ts';

/** Forwards every call to `inner` and appends it to `calls`. */
export class RecordingKube implements KubePort {
  readonly calls: PortCall[] = [];
  readonly #inner: KubePort;

  constructor(inner: KubePort) {
    this.#inner = inner;
  }

  #rec(method: PortCall['method'], apiVersion: string, kind: string, obj?: KubeObject): void {
    this.calls.push({ method, apiVersion, kind, ...(obj ? { obj } : {}) });
  }

  get(key: ObjectKey) {
    this.#rec('get', key.apiVersion, key.kind);
    return this.#inner.get(key);
  }
  list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string) {
    this.#rec('list', apiVersion, kind);
    return this.#inner.list(apiVersion, kind, namespace, labelSelector);
  }
  apply(obj: KubeObject) {
    this.#rec('apply', obj.apiVersion, obj.kind, obj);
    return this.#inner.apply(obj);
  }
  applyStatus(obj: KubeObject & { status: unknown }) {
    this.#rec('applyStatus', obj.apiVersion, obj.kind);
    return this.#inner.applyStatus(obj);
  }
  mergePatch(key: ObjectKey, patch: Record<string, unknown>) {
    this.#rec('mergePatch', key.apiVersion, key.kind);
    return this.#inner.mergePatch(key, patch);
  }
  create(obj: KubeObject) {
    this.#rec('create', obj.apiVersion, obj.kind, obj);
    return this.#inner.create(obj);
  }
  replace(obj: KubeObject) {
    this.#rec('replace', obj.apiVersion, obj.kind, obj);
    return this.#inner.replace(obj);
  }
  delete(key: ObjectKey, propagationPolicy?: 'Background' | 'Foreground' | 'Orphan') {
    this.#rec('delete', key.apiVersion, key.kind);
    return this.#inner.delete(key, propagationPolicy);
  }
  watch(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    opts: WatchOptions,
    onEvent: Parameters<KubePort['watch']>[4],
    onDone: Parameters<KubePort['watch']>[5],
  ) {
    this.#rec('watch', apiVersion, kind);
    return this.#inner.watch(apiVersion, kind, namespace, opts, onEvent, onDone);
  }
  createEvent(event: EventInput) {
    this.#rec('createEvent', 'v1', 'Event');
    return this.#inner.createEvent(event);
  }
  served(apiVersion: string, kind: string) {
    this.#rec('served', apiVersion, kind);
    return this.#inner.served(apiVersion, kind);
  }
  proxy(req: ProxyRequest) {
    this.calls.push({
      method: 'proxy',
      apiVersion: 'v1',
      kind: req.resource === 'pods' ? 'Pod' : 'Service',
      httpMethod: req.method,
    });
    return this.#inner.proxy(req);
  }
  kubeletMetrics(req: KubeletRequest) {
    this.#rec('kubeletMetrics', 'v1', 'Node');
    return this.#inner.kubeletMetrics(req);
  }
}

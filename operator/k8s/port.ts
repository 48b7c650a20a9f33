/**
 * The port: everything the operator asks of the Kubernetes API, as an interface. The reconciler and
 * the manager depend on this, never on the client; operator/k8s/client.ts implements it over the
 * project's one API client (kube/client.ts), operator/testing/fake-kube.ts fakes it for unit tests.
 * `get` and `list` of a built-in kind return its kubernetes-types type (kube/objects.ts).
 */
import type { KubeObject, ObjectList, ObjectOf } from '../../kube/objects.ts';
import type { WatchEventType } from '../../kube/watch-events.ts';

// The port's vocabulary, from the client it is built on.
export { ApiError } from '../../kube/api-error.ts';
export type { RequestObserver } from '../../kube/client.ts';
export type { WatchEventType } from '../../kube/watch-events.ts';

/** Which object. */
export interface ObjectKey<A extends string = string, K extends string = string> {
  apiVersion: A;
  kind: K;
  namespace?: string;
  name: string;
}

export interface WatchOptions {
  labelSelector?: string;
  resourceVersion?: string;
}

export interface EventInput {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** An HTTP request to a pod or Service port through the apiserver proxy. */
export interface ProxyRequest {
  resource: 'pods' | 'services';
  namespace: string;
  name: string;
  port: number;
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  timeoutMs: number;
}

/**
 * A GET of one node's kubelet endpoint (its own HTTPS port, not the apiserver proxy): the kubelet
 * authorizes it as `get nodes/metrics` (webhook authorization), far narrower than `nodes/proxy`.
 */
export interface KubeletRequest {
  /** The node's name (what the kubelet authorizes against). */
  node: string;
  /** The node's address, as a pod's `status.hostIP` gives it. */
  address: string;
  port: number;
  path: '/metrics/cadvisor';
  timeoutMs: number;
}

export interface KubePort {
  get<A extends string, K extends string>(key: ObjectKey<A, K>): Promise<ObjectOf<A, K> | undefined>;
  list<A extends string, K extends string>(
    apiVersion: A,
    kind: K,
    namespace: string | undefined,
    labelSelector?: string,
  ): Promise<ObjectList<ObjectOf<A, K>>>;
  /** Server-side apply, field manager pushpull-operator, force. */
  apply(obj: KubeObject): Promise<KubeObject>;
  /** Server-side apply of the status subresource. */
  applyStatus(obj: KubeObject & { status: unknown }): Promise<KubeObject>;
  /** JSON merge patch (used for finalizers, with metadata.resourceVersion as a precondition). */
  mergePatch(key: ObjectKey, patch: Record<string, unknown>): Promise<KubeObject>;
  create(obj: KubeObject): Promise<KubeObject>;
  /** PUT; metadata.resourceVersion makes it conditional (leases). */
  replace(obj: KubeObject): Promise<KubeObject>;
  /** Deletes; false when the object was already gone. A grace period of 0 is a kill (a game day's fault). */
  delete(
    key: ObjectKey,
    propagationPolicy?: 'Background' | 'Foreground' | 'Orphan',
    gracePeriodSeconds?: number,
  ): Promise<boolean>;
  /**
   * Streams changes until stopped or the server ends the watch (then `onDone`, once). An ERROR event
   * ends the watch: `onDone` gets its ApiError (410 Expired: the resourceVersion is too old, list
   * again). Rejects when the server refuses the watch.
   */
  watch(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    opts: WatchOptions,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onDone: (err: unknown) => void,
  ): Promise<{ stop(): void }>;
  createEvent(event: EventInput): Promise<void>;
  /**
   * Whether the API server serves `kind` in `apiVersion` (API discovery of the group version, which every
   * authenticated client may read: no RBAC). False when the group version is not served at all.
   */
  served(apiVersion: string, kind: string): Promise<boolean>;
  proxy(req: ProxyRequest): Promise<{ status: number; body: string }>;
  /** The kubelet's metrics of one node, with the operator's own credentials and the cluster's CA. */
  kubeletMetrics(req: KubeletRequest): Promise<{ status: number; body: string }>;
}

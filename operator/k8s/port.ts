/**
 * The port: everything the operator asks of the Kubernetes API, as an interface. The reconciler and
 * the manager depend on this, never on the client; operator/k8s/client.ts implements it (plain REST
 * over node:https, no Kubernetes client library), operator/testing/fake-kube.ts fakes it for unit tests.
 */
import type { KubeObject } from '../render/types.ts';

/** Which object. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A failed API call: the HTTP status and the apiserver's message. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly reason: string;
  constructor(statusCode: number, reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

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

export interface KubePort {
  get(key: ObjectKey): Promise<KubeObject | undefined>;
  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector?: string,
  ): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Server-side apply, field manager pushpull-operator, force. */
  apply(obj: KubeObject): Promise<KubeObject>;
  /** Server-side apply of the status subresource. */
  applyStatus(obj: KubeObject & { status: unknown }): Promise<KubeObject>;
  /** JSON merge patch (used for finalizers, with metadata.resourceVersion as a precondition). */
  mergePatch(key: ObjectKey, patch: Record<string, unknown>): Promise<KubeObject>;
  create(obj: KubeObject): Promise<KubeObject>;
  /** PUT; metadata.resourceVersion makes it conditional (leases). */
  replace(obj: KubeObject): Promise<KubeObject>;
  /** Deletes; false when the object was already gone. */
  delete(key: ObjectKey, propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'): Promise<boolean>;
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
  proxy(req: ProxyRequest): Promise<{ status: number; body: string }>;
}

/** Called for every API request, for /metrics (verb, kind, HTTP status or 0 for a network error). */
export type RequestObserver = (verb: string, kind: string, status: number) => void;

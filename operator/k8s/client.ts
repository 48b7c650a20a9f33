/**
 * The KubePort over the real API, in plain REST: every verb, path and content type the operator uses
 * is visible here (server-side apply with field manager `pushpull-operator` and force). Credentials
 * come from operator/k8s/credentials.ts, watches from operator/k8s/watch.ts; all requests share one
 * keep-alive pool (operator/k8s/http.ts). No Kubernetes client library: importing one cost ~100 MB
 * of RSS.
 */

import { hostname } from 'node:os';
import { FIELD_MANAGER } from '../render/names.ts';
import type { KubeObject } from '../render/types.ts';
import { apiErrorOf } from './api-error.ts';
import { type LoadCredentialsOptions, loadCredentials } from './credentials.ts';
import { createHttpPool } from './http.ts';
import {
  ApiError,
  type EventInput,
  type KubePort,
  type ObjectKey,
  type ProxyRequest,
  type RequestObserver,
  type WatchOptions,
} from './port.ts';
import { collectionPath, objectPath } from './resources.ts';
import { streamWatch } from './watch.ts';

export interface KubeClientOptions {
  /**
   * A kubeconfig file. Default, as kubectl: $KUBECONFIG (its files merged), else ~/.kube/config, else
   * the pod's service account in a cluster.
   */
  kubeconfig?: string;
  /** Default per-request timeout. */
  timeoutMs?: number;
  onRequest?: RequestObserver;
  /** Where else to look (tests: an environment, a home, a service-account directory). */
  credentials?: Omit<LoadCredentialsOptions, 'kubeconfig'>;
}

/**
 * The server ends each watch after this long; the manager then lists and watches again. (client-go
 * spreads its watches over 5–10 min; with two watches a fixed value is as good.)
 */
export const WATCH_TIMEOUT_SECONDS = 600;
/** No byte on a watch for this long (the server sends a BOOKMARK about every minute): the connection is dead. */
export const WATCH_IDLE_TIMEOUT_MS = 150_000;

type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The port, plus what the CLI reports and the namespace the kubeconfig context names. */
export interface KubeClient extends KubePort {
  /** The API server URL. */
  server: string;
  /** The current context's namespace (the pod's namespace in a cluster). */
  contextNamespace: string | undefined;
  /** Where the credentials came from (`kubeconfig FILE, context NAME` or `in-cluster service account`). */
  origin: string;
  /** True when the credentials are the pod's service account (no kubeconfig was found). */
  inCluster: boolean;
  /** Closes the connection pool at once: requests in flight fail, open watches end. */
  close(): Promise<void>;
}

/**
 * A client for the cluster of `opts.kubeconfig` (see KubeClientOptions). Reads the credentials now
 * (throws KubeconfigError naming the file and field when they are bad or unsupported).
 */
export function createKubeClient(opts: KubeClientOptions = {}): KubeClient {
  const creds = loadCredentials({
    ...opts.credentials,
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
  });
  const server = creds.server;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const observe = opts.onRequest ?? (() => {});
  // One keep-alive connection pool for every request and watch. The TLS material is read once at
  // startup; the bearer token (a rotating service-account token) is read before every request.
  const pool = createHttpPool(server, creds.tls);

  async function headersFor(contentType?: string): Promise<Record<string, string>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    let auth: string | undefined;
    try {
      auth = await creds.authorization();
    } catch (err) {
      throw new ApiError(0, 'CredentialsError', (err as Error).message);
    }
    if (auth) headers.Authorization = auth;
    return headers;
  }

  async function request(
    verb: Verb,
    kind: string,
    path: string,
    query: Record<string, string> = {},
    body?: unknown,
    contentType = 'application/json',
    timeout = timeoutMs,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(server + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers = await headersFor(body === undefined ? undefined : contentType);
    try {
      const res = await pool.request({
        method: verb,
        url,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        timeoutMs: timeout,
      });
      observe(verb, kind, res.status);
      return res;
    } catch (err) {
      observe(verb, kind, 0);
      throw new ApiError(0, 'NetworkError', `${verb} ${path}: ${(err as Error).message}`);
    }
  }

  function fail(verb: string, path: string, status: number, text: string): never {
    throw apiErrorOf(`${verb} ${path}`, status, text);
  }

  async function json(
    verb: Verb,
    kind: string,
    path: string,
    query?: Record<string, string>,
    body?: unknown,
    contentType?: string,
  ): Promise<KubeObject> {
    const { status, text } = await request(verb, kind, path, query, body, contentType);
    if (status < 200 || status >= 300) fail(verb, path, status, text);
    return JSON.parse(text) as KubeObject;
  }

  const keyPath = (k: ObjectKey) => objectPath(k.apiVersion, k.kind, k.name, k.namespace);
  const objPath = (o: KubeObject) => objectPath(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
  // Strict: an unknown field is an error, never silently dropped (kubectl apply does the same).
  const ssa = { fieldManager: FIELD_MANAGER, force: 'true', fieldValidation: 'Strict' };
  const APPLY = 'application/apply-patch+yaml';

  return {
    server,
    contextNamespace: creds.namespace,
    origin: creds.origin,
    inCluster: creds.inCluster,
    close: async () => pool.close(),
    async get(key) {
      const path = keyPath(key);
      const { status, text } = await request('GET', key.kind, path);
      if (status === 404) return undefined;
      if (status !== 200) fail('GET', path, status, text);
      return JSON.parse(text) as KubeObject;
    },
    async list(apiVersion, kind, namespace, labelSelector) {
      const path = collectionPath(apiVersion, kind, namespace);
      const list = (await json('GET', kind, path, labelSelector ? { labelSelector } : {})) as unknown as {
        items: KubeObject[];
        metadata: { resourceVersion: string };
      };
      // List items come without apiVersion/kind; put them back so callers can treat them as objects.
      return {
        items: list.items.map((i) => ({ ...i, apiVersion, kind })),
        resourceVersion: list.metadata.resourceVersion,
      };
    },
    apply: (obj) => json('PATCH', obj.kind, objPath(obj), ssa, obj, APPLY),
    applyStatus: (obj) => json('PATCH', obj.kind, `${objPath(obj)}/status`, ssa, obj, APPLY),
    mergePatch: (key, patch) =>
      json('PATCH', key.kind, keyPath(key), {}, patch, 'application/merge-patch+json'),
    create: (obj) =>
      json(
        'POST',
        obj.kind,
        collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace),
        { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' },
        obj,
      ),
    replace: (obj) => json('PUT', obj.kind, objPath(obj), { fieldManager: FIELD_MANAGER }, obj),
    async delete(key, propagationPolicy = 'Background') {
      const path = keyPath(key);
      const { status, text } = await request(
        'DELETE',
        key.kind,
        path,
        {},
        { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy },
      );
      if (status === 404) return false;
      if (status < 200 || status >= 300) fail('DELETE', path, status, text);
      return true;
    },
    async watch(apiVersion, kind, namespace, wopts: WatchOptions, onEvent, onDone) {
      const url = new URL(server + collectionPath(apiVersion, kind, namespace));
      url.searchParams.set('watch', 'true');
      url.searchParams.set('allowWatchBookmarks', 'true');
      url.searchParams.set('timeoutSeconds', String(WATCH_TIMEOUT_SECONDS));
      if (wopts.labelSelector) url.searchParams.set('labelSelector', wopts.labelSelector);
      if (wopts.resourceVersion) url.searchParams.set('resourceVersion', wopts.resourceVersion);
      try {
        const w = await streamWatch({
          pool,
          url,
          headers: await headersFor(),
          headersTimeoutMs: timeoutMs,
          idleTimeoutMs: WATCH_IDLE_TIMEOUT_MS,
          // Watch events carry apiVersion/kind, but keep them uniform with list items.
          onEvent: (type, obj) => onEvent(type, { ...obj, apiVersion, kind }),
          onDone,
        });
        observe('WATCH', kind, 200);
        return w;
      } catch (err) {
        observe('WATCH', kind, err instanceof ApiError ? err.statusCode : 0);
        throw err;
      }
    },
    async createEvent(e: EventInput) {
      const now = new Date().toISOString();
      const ns = e.involved.metadata.namespace ?? 'default';
      await json(
        'POST',
        'Event',
        collectionPath('v1', 'Event', ns),
        {},
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { generateName: `${e.involved.metadata.name}.`, namespace: ns },
          involvedObject: {
            apiVersion: e.involved.apiVersion,
            kind: e.involved.kind,
            name: e.involved.metadata.name,
            namespace: ns,
            uid: e.involved.metadata.uid,
            resourceVersion: e.involved.metadata.resourceVersion,
          },
          type: e.type,
          reason: e.reason,
          message: e.message.slice(0, 1024),
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          source: { component: FIELD_MANAGER },
          reportingComponent: FIELD_MANAGER,
          reportingInstance: hostname(),
        },
      );
    },
    async proxy(req: ProxyRequest) {
      const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/${req.resource}/${encodeURIComponent(req.name)}:${req.port}/proxy${req.path}`;
      const { status, text } = await request(
        req.method,
        req.resource === 'pods' ? 'Pod' : 'Service',
        path,
        {},
        req.body,
        'application/json',
        req.timeoutMs,
      );
      return { status, body: text };
    },
  };
}

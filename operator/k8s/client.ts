/**
 * The KubePort over the real API: the only module that imports @kubernetes/client-node. It uses the
 * library for what is hard (kubeconfig loading, in-cluster credentials, TLS and auth on each request,
 * watch streaming) and makes plain REST calls for the rest, so every verb, path and content type the
 * operator uses is visible here: server-side apply with field manager `pushpull-operator` and force.
 */

import type { RequestOptions } from 'node:https';
import { hostname } from 'node:os';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { Agent, fetch } from 'undici';
import { FIELD_MANAGER } from '../render/names.ts';
import type { KubeObject } from '../render/types.ts';
import {
  ApiError,
  type EventInput,
  type KubePort,
  type ObjectKey,
  type ProxyRequest,
  type RequestObserver,
  type WatchEventType,
  type WatchOptions,
} from './port.ts';
import { collectionPath, objectPath } from './resources.ts';

export interface KubeClientOptions {
  /** A kubeconfig file; default: in-cluster when running in a pod, else $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  /** Default per-request timeout. */
  timeoutMs?: number;
  onRequest?: RequestObserver;
}

/** Loads credentials the way kubectl does (or from the pod's service account in a cluster). */
export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster())
    throw new Error('no Kubernetes cluster configured: pass --kubeconfig or set KUBECONFIG');
  return kc;
}

type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function createKubeClient(
  opts: KubeClientOptions = {},
): KubePort & { server: string; contextNamespace: string | undefined } {
  const kc = loadKubeConfig(opts.kubeconfig);
  const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const server = kc.getCurrentCluster()!.server.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const observe = opts.onRequest ?? (() => {});

  // One keep-alive connection pool for every request. (The library's per-request dispatcher is a new
  // undici Agent each time: a TLS handshake per call and agents that pile up in memory.) Credentials
  // are re-read on each request, so rotated service-account tokens are picked up; the pool is rebuilt
  // only if the TLS material changes.
  let pool: { key: string; agent: Agent } | undefined;
  async function credentials(): Promise<{ headers: Record<string, string>; agent: Agent }> {
    const o: RequestOptions = {};
    await kc.applyToHTTPSOptions(o);
    const tls = {
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      rejectUnauthorized: o.rejectUnauthorized,
      servername: o.servername,
    };
    const key = JSON.stringify([
      String(tls.ca),
      String(tls.cert),
      String(tls.key),
      tls.rejectUnauthorized,
      tls.servername,
    ]);
    if (pool?.key !== key) {
      void pool?.agent.close();
      pool = { key, agent: new Agent({ connect: tls as never, keepAliveTimeout: 30_000, connections: 16 }) };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    if (typeof o.auth === 'string') headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    return { headers, agent: pool.agent };
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
    const creds = await credentials();
    const headers: Record<string, string> = { ...creds.headers, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = contentType;
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(url, {
        method: verb,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        dispatcher: creds.agent,
        signal: AbortSignal.timeout(timeout),
      });
    } catch (err) {
      observe(verb, kind, 0);
      throw new ApiError(0, 'NetworkError', `${verb} ${path}: ${(err as Error).message}`);
    }
    const text = await res.text();
    observe(verb, kind, res.status);
    return { status: res.status, text };
  }

  function fail(verb: string, path: string, status: number, text: string): never {
    let reason = 'Unknown';
    let message = text.slice(0, 2000);
    try {
      const s = JSON.parse(text) as { reason?: string; message?: string };
      reason = s.reason ?? reason;
      message = s.message ?? message;
    } catch {
      // not a Status object: keep the raw text
    }
    throw new ApiError(status, reason, `${verb} ${path}: ${status} ${reason}: ${message}`);
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
    contextNamespace,
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
      const path = collectionPath(apiVersion, kind, namespace);
      const query: Record<string, string | boolean> = { allowWatchBookmarks: true };
      if (wopts.labelSelector) query.labelSelector = wopts.labelSelector;
      if (wopts.resourceVersion) query.resourceVersion = wopts.resourceVersion;
      observe('WATCH', kind, 200);
      const controller = await new Watch(kc).watch(
        path,
        query,
        (type: string, obj: KubeObject) => onEvent(type as WatchEventType, { ...obj, apiVersion, kind }),
        onDone,
      );
      return { stop: () => controller.abort() };
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

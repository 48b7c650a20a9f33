/**
 * The KubePort over the project's one API client (kube/client.ts): every verb, path and content type
 * the operator uses is visible here (server-side apply with field manager `pushpull-operator` and
 * force, Events, the apiserver proxy). Credentials, the connection pool and watches are kube/'s.
 */

import { hostname } from 'node:os';
import { CRD_PLURAL } from '../../api/v1alpha1/crd.ts';
import { SCHEDULE_PLURAL } from '../../api/v1alpha1/schedule-crd.ts';
import { SCHEDULE_KIND } from '../../api/v1alpha1/schedule-schema.ts';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import { apiErrorOf } from '../../kube/api-error.ts';
import { createKubeApi, type KubeApiOptions } from '../../kube/client.ts';
import type { KubeObject, ObjectList } from '../../kube/objects.ts';
import type { ResourceTable } from '../../kube/resources.ts';
import { FIELD_MANAGER } from '../render/names.ts';
import { CHAOS_MESH_API_VERSION, NETWORK_CHAOS_KIND } from '../render/network-chaos.ts';
import type { EventInput, KubeletRequest, KubePort, ObjectKey, ProxyRequest, WatchOptions } from './port.ts';

export type KubeClientOptions = Omit<KubeApiOptions, 'resources'>;

/**
 * The server ends each watch after this long; the manager then lists and watches again. (client-go
 * spreads its watches over 5–10 min; with two watches a fixed value is as good.)
 */
export const WATCH_TIMEOUT_SECONDS = 600;
/** No byte on a watch for this long (the server sends a BOOKMARK about every minute): the connection is dead. */
export const WATCH_IDLE_TIMEOUT_MS = 150_000;

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

/** The operator's own kinds, beside the built-in ones. */
export const OPERATOR_RESOURCES: ResourceTable = {
  [`${API_GROUP}/${API_VERSION}/${KIND}`]: { plural: CRD_PLURAL, namespaced: true },
  [`${API_GROUP}/${API_VERSION}/${SCHEDULE_KIND}`]: { plural: SCHEDULE_PLURAL, namespaced: true },
  // Chaos Mesh's, written only when the API server serves it (spec.networkFaults).
  [`${CHAOS_MESH_API_VERSION}/${NETWORK_CHAOS_KIND}`]: { plural: 'networkchaos', namespaced: true },
};

/**
 * A client for the cluster of `opts.kubeconfig` (see KubeApiOptions). Reads the credentials now
 * (throws KubeconfigError naming the file and field when they are bad or unsupported).
 */
export function createKubeClient(opts: KubeClientOptions = {}): KubeClient {
  const api = createKubeApi({
    ...opts,
    resources: OPERATOR_RESOURCES,
  });
  const { collectionPath, objectPath } = api.paths;
  const keyPath = (k: ObjectKey) => objectPath(k.apiVersion, k.kind, k.name, k.namespace);
  const objPath = (o: KubeObject) => objectPath(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
  // Strict: an unknown field is an error, never silently dropped (kubectl apply does the same).
  const ssa = { fieldManager: FIELD_MANAGER, force: 'true', fieldValidation: 'Strict' };
  const APPLY = 'application/apply-patch+yaml';
  const fail = (verb: string, path: string, status: number, text: string): never => {
    throw apiErrorOf(`${verb} ${path}`, status, text);
  };

  return {
    server: api.server,
    contextNamespace: api.contextNamespace,
    origin: api.origin,
    inCluster: api.inCluster,
    close: async () => api.close(),
    // The port's typed results: an object of kind K as the server returned it (kube/objects.ts).
    async get(key) {
      const path = keyPath(key);
      const res = await api.request('GET', path, { kind: key.kind });
      if (res.status === 404) return undefined;
      if (res.status !== 200) fail('GET', path, res.status, res.text);
      return res.body as never;
    },
    async list(apiVersion, kind, namespace, labelSelector) {
      const list = await api.call<{ items: KubeObject[]; metadata: { resourceVersion: string } }>(
        'GET',
        collectionPath(apiVersion, kind, namespace),
        { kind, ...(labelSelector ? { query: { labelSelector } } : {}) },
      );
      // List items come without apiVersion/kind; put them back so callers can treat them as objects.
      return {
        items: list.items.map((i) => ({ ...i, apiVersion, kind })),
        resourceVersion: list.metadata.resourceVersion,
      } as ObjectList<never>;
    },
    apply: (obj) =>
      api.call('PATCH', objPath(obj), { kind: obj.kind, query: ssa, body: obj, contentType: APPLY }),
    applyStatus: (obj) =>
      api.call('PATCH', `${objPath(obj)}/status`, {
        kind: obj.kind,
        query: ssa,
        body: obj,
        contentType: APPLY,
      }),
    mergePatch: (key, patch) =>
      api.call('PATCH', keyPath(key), {
        kind: key.kind,
        body: patch,
        contentType: 'application/merge-patch+json',
      }),
    create: (obj) =>
      api.call('POST', collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace), {
        kind: obj.kind,
        query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' },
        body: obj,
      }),
    replace: (obj) =>
      api.call('PUT', objPath(obj), { kind: obj.kind, query: { fieldManager: FIELD_MANAGER }, body: obj }),
    async delete(key, propagationPolicy = 'Background', gracePeriodSeconds?: number) {
      const path = keyPath(key);
      const res = await api.request('DELETE', path, {
        kind: key.kind,
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          propagationPolicy,
          ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
        },
      });
      if (res.status === 404) return false;
      if (res.status < 200 || res.status >= 300) fail('DELETE', path, res.status, res.text);
      return true;
    },
    watch: (apiVersion, kind, namespace, wopts: WatchOptions, onEvent, onDone) =>
      api.watch({
        path: collectionPath(apiVersion, kind, namespace),
        query: {
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(WATCH_TIMEOUT_SECONDS),
          ...(wopts.labelSelector ? { labelSelector: wopts.labelSelector } : {}),
          ...(wopts.resourceVersion ? { resourceVersion: wopts.resourceVersion } : {}),
        },
        kind,
        idleTimeoutMs: WATCH_IDLE_TIMEOUT_MS,
        // Watch events carry apiVersion/kind, but keep them uniform with list items.
        onEvent: (type, obj) => onEvent(type, { ...obj, apiVersion, kind }),
        onDone,
      }),
    async createEvent(e: EventInput) {
      const now = new Date().toISOString();
      const ns = e.involved.metadata.namespace ?? 'default';
      await api.call('POST', collectionPath('v1', 'Event', ns), {
        kind: 'Event',
        body: {
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
      });
    },
    async served(apiVersion, kind) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const res = await api.request('GET', path, { kind: 'APIResourceList' });
      if (res.status === 404) return false;
      if (res.status !== 200) fail('GET', path, res.status, res.text);
      const list = res.body as { resources?: Array<{ name: string; kind: string }> };
      // Subresources (networkchaos/status) are listed too; the kind itself has a name without a slash.
      return (list.resources ?? []).some((r) => r.kind === kind && !r.name.includes('/'));
    },
    async proxy(req: ProxyRequest) {
      const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/${req.resource}/${encodeURIComponent(req.name)}:${req.port}/proxy${req.path}`;
      const res = await api.request(req.method, path, {
        kind: req.resource === 'pods' ? 'Pod' : 'Service',
        ...(req.body !== undefined ? { body: req.body } : {}),
        timeoutMs: req.timeoutMs,
      });
      return { status: res.status, body: res.text };
    },
    async kubeletMetrics(req: KubeletRequest) {
      // An IPv6 address needs brackets in a URL.
      const host = req.address.includes(':') ? `[${req.address}]` : req.address;
      const res = await api.requestNode(new URL(`https://${host}:${req.port}${req.path}`), {
        kind: 'Node',
        timeoutMs: req.timeoutMs,
        headers: { Accept: 'text/plain' },
      });
      return { status: res.status, body: res.text };
    },
  };
}

/**
 * The one Kubernetes API client of the project, in plain REST: credentials as kubectl finds them
 * (credentials.ts), one keep-alive pool (http.ts), JSON in and out, watches (watch.ts). The operator's
 * port (operator/k8s/client.ts) puts its verbs on top; the dev cluster and the CLI call it directly.
 * No Kubernetes client library: importing one cost ~100 MB of RSS.
 */
import { ApiError, apiErrorOf } from './api-error.ts';
import {
  type Credentials,
  type LoadCredentialsOptions,
  loadCredentials,
  type RequestAuth,
} from './credentials.ts';
import { createHttpPool } from './http.ts';
import type { KubeObject } from './objects.ts';
import { type ResourceTable, type RestMapper, restMapper } from './resources.ts';
import { streamWatch } from './watch.ts';
import type { WatchEventType } from './watch-events.ts';

/** The HTTP verbs of the API. */
export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Called for every API request, for /metrics (verb, kind, HTTP status or 0 for a network error). */
export type RequestObserver = (verb: string, kind: string, status: number) => void;

export interface KubeApiOptions {
  /**
   * A kubeconfig file. Default, as kubectl: $KUBECONFIG (its files merged), else ~/.kube/config, else
   * the pod's service account in a cluster.
   */
  kubeconfig?: string;
  /** Default per-request timeout. */
  timeoutMs?: number;
  onRequest?: RequestObserver;
  /** Kinds beyond the built-in ones (a CRD), for `paths`. */
  resources?: ResourceTable;
  /** Where else to look (tests: an environment, a home, a service-account directory, an exec clock). */
  credentials?: Omit<LoadCredentialsOptions, 'kubeconfig'>;
  /** At most this many connections (default 16). */
  maxSockets?: number;
}

/** One request. */
export interface KubeRequestOptions {
  query?: Record<string, string>;
  /** Sent as JSON, or as is when a string. */
  body?: unknown;
  /** Default `application/json`; e.g. `application/merge-patch+json` for a PATCH. */
  contentType?: string;
  /** Extra headers (e.g. `Impersonate-User`). */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** The kind named to the request observer (default `other`). */
  kind?: string;
}

/** What the API server answered: the status, the raw text and the body parsed as JSON (or undefined). */
export interface KubeResponse<T = unknown> {
  status: number;
  text: string;
  body: T | undefined;
}

/** A watch of one collection. */
export interface KubeWatchOptions {
  /** e.g. `/api/v1/namespaces/NS/pods` (see `paths`). */
  path: string;
  /** `watch=true` is added. */
  query: Record<string, string>;
  /** The kind named to the request observer. */
  kind: string;
  /** No byte for this long: the connection is presumed dead. */
  idleTimeoutMs: number;
  onEvent(type: WatchEventType, obj: KubeObject): void;
  onDone(err: unknown): void;
}

/** A client bound to one API server and identity. */
export interface KubeApi {
  /** The API server URL. */
  server: string;
  /** The current context's namespace (the pod's namespace in a cluster). */
  contextNamespace: string | undefined;
  /** Where the credentials came from (`kubeconfig FILE, context NAME` or `in-cluster service account`). */
  origin: string;
  /** True when the credentials are the pod's service account (no kubeconfig was found). */
  inCluster: boolean;
  /** REST paths of the known kinds. */
  paths: RestMapper;
  /**
   * One request; any HTTP status resolves. Rejects with an ApiError only when there is no answer
   * (statusCode 0: NetworkError, or CredentialsError when the credentials cannot be had).
   */
  request<T = unknown>(method: Verb, path: string, o?: KubeRequestOptions): Promise<KubeResponse<T>>;
  /**
   * One GET of another host of the cluster (a node's kubelet), with the same identity and CA as the
   * API server (not its tls-server-name). Any HTTP status resolves; rejects with an ApiError when there
   * is no answer.
   */
  requestNode(
    url: URL,
    o?: Pick<KubeRequestOptions, 'timeoutMs' | 'kind' | 'headers'>,
  ): Promise<KubeResponse<never>>;
  /** A request that must succeed (2xx): its JSON body, else an ApiError with the server's message. */
  call<T = unknown>(method: Verb, path: string, o?: KubeRequestOptions): Promise<T>;
  /** Opens a watch; rejects with an ApiError when the server refuses it. */
  watch(o: KubeWatchOptions): Promise<{ stop(): void }>;
  /** Closes the connection pool at once: requests in flight fail, open watches end. */
  close(): void;
}

/**
 * A client for the cluster of `opts.kubeconfig` (see KubeApiOptions). Reads the credentials now
 * (throws KubeconfigError naming the file and field when they are bad or unsupported); an exec plugin
 * first runs on the first request.
 */
export function createKubeApi(opts: KubeApiOptions = {}): KubeApi {
  const creds: Credentials = loadCredentials({
    ...opts.credentials,
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
  });
  const server = creds.server;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const observe = opts.onRequest ?? (() => {});
  // The TLS material of the kubeconfig is read once; the identity (a rotating token file, an exec
  // plugin's credential) is asked for before every request.
  const pool = createHttpPool(server, creds.tls, opts.maxSockets);
  // Nodes are other hosts: the same CA and client certificate, never the API server's tls-server-name.
  let nodePool: ReturnType<typeof createHttpPool> | undefined;
  const nodeTls = () => {
    const { servername: _server, ...tls } = creds.tls;
    return tls;
  };

  async function authOf(): Promise<RequestAuth> {
    try {
      return await creds.auth();
    } catch (err) {
      throw new ApiError(0, 'CredentialsError', (err as Error).message);
    }
  }

  function headersOf(auth: RequestAuth, o: KubeRequestOptions, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
    if (hasBody) headers['Content-Type'] = o.contentType ?? 'application/json';
    if (auth.authorization) headers.Authorization = auth.authorization;
    return headers;
  }

  async function send(
    method: Verb,
    path: string,
    o: KubeRequestOptions,
    auth: RequestAuth,
    target: { url: URL; pool: ReturnType<typeof createHttpPool> } = {
      url: new URL(server + path),
      pool,
    },
  ) {
    const url = target.url;
    for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
    const body =
      o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const kind = o.kind ?? 'other';
    try {
      const res = await target.pool.request({
        method,
        url,
        headers: headersOf(auth, o, body !== undefined),
        ...(body === undefined ? {} : { body }),
        timeoutMs: o.timeoutMs ?? timeoutMs,
        ...(auth.clientCertificate ? { clientCertificate: auth.clientCertificate } : {}),
      });
      observe(method, kind, res.status);
      return res;
    } catch (err) {
      observe(method, kind, 0);
      throw new ApiError(0, 'NetworkError', `${method} ${path}: ${(err as Error).message}`);
    }
  }

  async function request<T>(
    method: Verb,
    path: string,
    o: KubeRequestOptions = {},
  ): Promise<KubeResponse<T>> {
    const auth = await authOf();
    let res = await send(method, path, o, auth);
    // A refused exec credential (revoked, or expired early): run the plugin again and retry once, as
    // kubectl's next request would. A 401 is never processed, so the retry is safe for any verb.
    if (res.status === 401 && creds.rejected(auth)) res = await send(method, path, o, await authOf());
    let parsed: T | undefined;
    try {
      parsed = res.text === '' ? undefined : (JSON.parse(res.text) as T);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text: res.text, body: parsed };
  }

  return {
    server,
    contextNamespace: creds.namespace,
    origin: creds.origin,
    inCluster: creds.inCluster,
    paths: restMapper(opts.resources),
    request,
    async requestNode(url, o = {}) {
      if (url.protocol !== 'https:')
        throw new ApiError(0, 'NetworkError', `${url}: a node is reached over https only`);
      nodePool ??= createHttpPool(url.origin, nodeTls(), opts.maxSockets);
      const auth = await authOf();
      const res = await send('GET', url.pathname, o, auth, { url, pool: nodePool });
      return { status: res.status, text: res.text, body: undefined };
    },
    async call<T>(method: Verb, path: string, o: KubeRequestOptions = {}) {
      const res = await request<T>(method, path, o);
      if (res.status < 200 || res.status >= 300) throw apiErrorOf(`${method} ${path}`, res.status, res.text);
      return res.body as T;
    },
    async watch(w) {
      const url = new URL(server + w.path);
      url.searchParams.set('watch', 'true');
      for (const [k, v] of Object.entries(w.query)) url.searchParams.set(k, v);
      const auth = await authOf();
      try {
        const stream = await streamWatch({
          pool,
          url,
          headers: headersOf(auth, {}, false),
          ...(auth.clientCertificate ? { clientCertificate: auth.clientCertificate } : {}),
          headersTimeoutMs: timeoutMs,
          idleTimeoutMs: w.idleTimeoutMs,
          onEvent: w.onEvent,
          onDone: w.onDone,
        });
        observe('WATCH', w.kind, 200);
        return stream;
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 401) creds.rejected(auth);
        observe('WATCH', w.kind, err instanceof ApiError ? err.statusCode : 0);
        throw err;
      }
    },
    close: () => {
      pool.close();
      nodePool?.close();
    },
  };
}

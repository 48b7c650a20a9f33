/**
 * How the operator reaches the workload's HTTP endpoints: the producers' rig endpoints (POST /start,
 * GET /ledger) and the Prometheus HTTP API. In a cluster it connects directly (pod IPs, Service DNS
 * names); run outside the cluster (a laptop, the tests' dev cluster) it goes through the API server's
 * proxy, which needs no network route to pods. `spec.collection.prometheusURL` is always used directly.
 */
import type { PromSeries } from '../measure/prom-api.ts';
import { promQuery } from '../measure/prom-api.ts';
import type { KubePort } from './k8s/port.ts';
import { names } from './render/names.ts';
import { PORTS } from './render/ports.ts';
import type { ExperimentObject } from './render/types.ts';

/** A pod the operator talks to. */
export interface PodTarget {
  namespace: string;
  name: string;
  ip?: string;
}

/** The Prometheus HTTP API, wherever it is. */
export interface PromClient {
  /** Where the figures come from, for the report's provenance. */
  readonly source: string;
  query(query: string, timeSeconds: number): Promise<PromSeries[]>;
}

export interface Reach {
  startProducer(pod: PodTarget, startAtIso: string): Promise<void>;
  ledger(pod: PodTarget): Promise<unknown>;
  /** The subject Prometheus (or spec.collection.prometheusURL) and the rig Prometheus. */
  prometheus(x: ExperimentObject, which: 'subject' | 'rig'): PromClient;
}

export type ReachMode = 'direct' | 'proxy';

const TIMEOUT_MS = 3000;

async function directJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function parsePromResult(body: string, query: string): PromSeries[] {
  const parsed = JSON.parse(body) as {
    status: string;
    error?: string;
    data?: {
      result: Array<{
        metric: Record<string, string>;
        value?: [number, string];
        values?: Array<[number, string]>;
      }>;
    };
  };
  if (parsed.status !== 'success' || !parsed.data)
    throw new Error(`PromQL ${query}: ${parsed.error ?? 'no data'}`);
  return parsed.data.result.map((r) => ({
    labels: r.metric,
    samples: (r.values ?? (r.value ? [r.value] : [])).map(
      ([t, v]) => [Number(t), Number(v)] as [number, number],
    ),
  }));
}

/**
 * Wraps a client so that once the server fails to answer at all (not a PromQL error: no connection, a
 * proxy error, a timeout), later queries fail at once with the same reason instead of each waiting out
 * its own timeout. A collection then takes seconds, not minutes, when a Prometheus is down.
 */
export function failFast(client: PromClient): PromClient {
  let down: Error | undefined;
  return {
    source: client.source,
    async query(q, t) {
      if (down) throw new Error(`${client.source} did not answer earlier (${down.message}); not asked again`);
      try {
        return await client.query(q, t);
      } catch (err) {
        if (err instanceof UnreachableError) down = err;
        throw err;
      }
    },
  };
}

/** The server did not answer (as opposed to answering with an error). */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

export function createReach(kube: KubePort, mode: ReachMode): Reach {
  const viaProxy = async (pod: PodTarget, method: 'GET' | 'POST', path: string, body?: string) => {
    const res = await kube.proxy({
      resource: 'pods',
      namespace: pod.namespace,
      name: pod.name,
      port: PORTS.producerRig,
      path,
      method,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: TIMEOUT_MS,
    });
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`${method} pod ${pod.name}${path}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    }
    return JSON.parse(res.body) as unknown;
  };
  const rigUrl = (pod: PodTarget, path: string) => {
    if (!pod.ip) throw new Error(`pod ${pod.name} has no IP yet`);
    return `http://${pod.ip}:${PORTS.producerRig}${path}`;
  };
  return {
    async startProducer(pod, startAt) {
      const body = JSON.stringify({ startAt });
      if (mode === 'proxy') await viaProxy(pod, 'POST', '/start', body);
      else
        await directJson(rigUrl(pod, '/start'), {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
    },
    ledger: (pod) =>
      mode === 'proxy' ? viaProxy(pod, 'GET', '/ledger') : directJson(rigUrl(pod, '/ledger')),
    prometheus(x, which) {
      const external = x.spec.collection.prometheusURL;
      if (which === 'subject' && external) {
        return { source: external, query: (q, t) => promQuery(external, q, t) };
      }
      return failFast(inCluster(x, which));
    },
  };

  function inCluster(x: ExperimentObject, which: 'subject' | 'rig'): PromClient {
    const service =
      which === 'subject' ? names.prometheus(x.metadata.name) : names.rigPrometheus(x.metadata.name);
    const ns = x.metadata.namespace;
    if (mode === 'direct') {
      const base = `http://${service}.${ns}.svc:${PORTS.prometheus}`;
      return {
        source: base,
        async query(q, t) {
          try {
            return await promQuery(base, q, t);
          } catch (err) {
            const message = (err as Error).message;
            throw /did not answer/.test(message) ? new UnreachableError(message) : err;
          }
        },
      };
    }
    return {
      source: `service ${ns}/${service}:${PORTS.prometheus} (API server proxy)`,
      async query(q, t) {
        const params = new URLSearchParams({ query: q, time: t.toFixed(3) });
        const res = await kube
          .proxy({
            resource: 'services',
            namespace: ns,
            name: service,
            port: PORTS.prometheus,
            path: `/api/v1/query?${params}`,
            method: 'GET',
            timeoutMs: 10_000,
          })
          .catch((err: unknown) => {
            throw new UnreachableError((err as Error).message);
          });
        if (res.status === 400 || res.status === 422) {
          throw new Error(`PromQL ${q}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        }
        if (res.status !== 200) throw new UnreachableError(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        return parsePromResult(res.body, q);
      },
    };
  }
}

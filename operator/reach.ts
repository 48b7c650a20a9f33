/**
 * How the operator reaches the workload's HTTP endpoints: the producers' rig endpoints (POST /start,
 * GET /ledger) and the Prometheus HTTP API. In a cluster it connects directly (pod IPs, Service DNS
 * names); run outside the cluster (a laptop, the tests' dev cluster) it goes through the API server's
 * proxy, which needs no network route to pods. `spec.collection.prometheusURL` is always used directly.
 */
import {
  failFast,
  httpPromClient,
  type PromClient,
  PromUnreachableError,
  parsePromResponse,
  promQuery,
} from '../measure/prom-api.ts';
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

export interface Reach {
  startProducer(pod: PodTarget, startAtIso: string): Promise<void>;
  /** A game day's hang: the producer blocks its event loop for `seconds` (POST /hang). */
  hangProducer(pod: PodTarget, seconds: number): Promise<void>;
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
    async hangProducer(pod, seconds) {
      const body = JSON.stringify({ seconds });
      if (mode === 'proxy') await viaProxy(pod, 'POST', '/hang', body);
      else
        await directJson(rigUrl(pod, '/hang'), {
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
        return httpPromClient(external);
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
          return promQuery(base, q, t);
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
            throw new PromUnreachableError((err as Error).message);
          });
        if (res.status !== 200 && res.status !== 400 && res.status !== 422)
          throw new PromUnreachableError(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        return parsePromResponse(res.body, q, res.status);
      },
    };
  }
}

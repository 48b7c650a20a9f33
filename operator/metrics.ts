/**
 * The operator's own /metrics (prom-client, its own registry): reconcile counts by outcome and durations,
 * the work-queue depth, API requests by verb/kind/code (writes separately, so "API writes per no-op
 * reconcile = 0" is measurable), and whether this replica leads.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestObserver } from '../kube/client.ts';

const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OperatorMetrics {
  registry: Registry;
  reconciles: Counter<'outcome'>;
  reconcileSeconds: Histogram<'outcome'>;
  apiRequests: Counter<'verb' | 'kind' | 'code'>;
  apiWrites: Counter<'verb' | 'kind'>;
  leader: Gauge;
  /** Plug into the kube client. */
  observeRequest: RequestObserver;
}

export function createOperatorMetrics(queueDepth: () => number): OperatorMetrics {
  const registry = new Registry();
  const reconciles = new Counter({
    name: 'pushpull_operator_reconcile_total',
    help: 'Reconcile passes by outcome (ok, requeue, transient, terminal).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reconcileSeconds = new Histogram({
    name: 'pushpull_operator_reconcile_duration_seconds',
    help: 'Duration of reconcile passes.',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const apiRequests = new Counter({
    name: 'pushpull_operator_api_requests_total',
    help: 'Kubernetes API requests by verb, kind and HTTP status (0: network error).',
    labelNames: ['verb', 'kind', 'code'] as const,
    registers: [registry],
  });
  const apiWrites = new Counter({
    name: 'pushpull_operator_api_writes_total',
    help: 'Kubernetes API writes (POST, PUT, PATCH, DELETE) by verb and kind.',
    labelNames: ['verb', 'kind'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'pushpull_operator_queue_depth',
    help: 'Keys ready in the work queue.',
    registers: [registry],
    collect() {
      this.set(queueDepth());
    },
  });
  const leader = new Gauge({
    name: 'pushpull_operator_leader',
    help: '1 while this replica holds the leader lease (always 1 without leader election).',
    registers: [registry],
  });
  return {
    registry,
    reconciles,
    reconcileSeconds,
    apiRequests,
    apiWrites,
    leader,
    observeRequest(verb, kind, code) {
      apiRequests.inc({ verb, kind, code: String(code) });
      if (WRITE_VERBS.has(verb)) apiWrites.inc({ verb, kind });
    },
  };
}

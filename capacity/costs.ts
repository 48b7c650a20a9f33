/**
 * What one producer costs this machine, measured, each figure with where it was measured. The capacity
 * estimate (capacity/estimate.ts) multiplies these by a spec's fleet and rate before anything starts, so
 * `pushpull run` can refuse a spec the machine cannot hold instead of forking it into the ground. Change a
 * figure only with a new measurement, and change its source with it.
 */
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';

/** A measured figure and where it comes from. */
export interface MeasuredCost {
  value: number;
  source: string;
}

/** The producer path an arm's settings select, as `pushpull bench emit` names its cases. */
export type ProducerPath =
  | 'pull/scrape'
  | 'statsd/perEvent'
  | 'statsd/buffered'
  | 'statsd/aggregated'
  | 'otlp/grpc'
  | 'otlp/http';

const BENCH_EMIT =
  'docs/benchmarks.md, bench emit (50 virtual producers per process, market-open shape), rig path median';

/** CPU microseconds one order event costs the producer process (generator + arm + ledger). */
export const CPU_US_PER_EVENT: Readonly<Record<ProducerPath, MeasuredCost>> = {
  'pull/scrape': { value: 2.01, source: BENCH_EMIT },
  'statsd/perEvent': { value: 16.9, source: BENCH_EMIT },
  'statsd/buffered': { value: 5.95, source: BENCH_EMIT },
  'statsd/aggregated': { value: 0.431, source: BENCH_EMIT },
  'otlp/grpc': { value: 3.51, source: BENCH_EMIT },
  'otlp/http': { value: 3.53, source: BENCH_EMIT },
};

const RSS_SOURCE =
  'VmRSS of one `pushpull producer` process of examples/quick.yaml (14 virtual producers, ready, not yet armed), measured 2026-12-01 on the 2-core machine of docs/benchmarks.md; a floor: more producers per process and more series take more';

/** Resident memory of one idle producer process, bytes, per arm. */
export const PRODUCER_PROCESS_RSS_BYTES: Readonly<Record<ArmName, MeasuredCost>> = {
  pull: { value: 114_724 * 1024, source: RSS_SOURCE },
  statsd: { value: 113_084 * 1024, source: RSS_SOURCE },
  otlp: { value: 130_232 * 1024, source: RSS_SOURCE },
};

/** Kernel threads of one producer process (Node's main thread, libuv pool, V8 workers). */
export const PRODUCER_PROCESS_THREADS: MeasuredCost = {
  value: 11,
  source: 'Threads in /proc/PID/status of one `pushpull producer` process, measured 2026-12-01',
};

/** The bench case an arm's settings select. */
export function producerPath(arm: ArmName, spec: Pick<ExperimentSpec, 'arms'>): ProducerPath {
  if (arm === 'statsd') return `statsd/${spec.arms.statsd?.mode ?? 'perEvent'}`;
  if (arm === 'otlp') return `otlp/${spec.arms.otlp?.protocol ?? 'grpc'}`;
  return 'pull/scrape';
}

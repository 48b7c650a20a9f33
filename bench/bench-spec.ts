/**
 * The spec one bench worker runs: one producer process shaped like a process of the base spec (default
 * examples/market-open.yaml: its producers per process, series dimensions, arm settings and the largest
 * symbol count of its schedule, so /metrics bodies and label sets are those of the open), in one arm and
 * mode, with a single "flood" phase at a rate no process can reach, so the generation loop runs unthrottled
 * and its shortfall is the proof. Pure; called by bench/emit.ts.
 */

import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import type { BenchCase } from './cases.ts';

/** The flood phase's fleet-wide rate: the schema's maximum, far beyond what one process can generate. */
export const FLOOD_EVENTS_PER_SECOND = 100_000_000;

/** The largest symbol count of the base schedule: the cardinality of the open. */
export function openSymbols(base: ExperimentSpec): number {
  return Math.max(...base.load.phases.map((p) => p.symbols));
}

/**
 * One process's share of the base spec's peak rate: what a process hosting `perProcess` producers (default:
 * the spec's producersPerProcess) must sustain at the open.
 */
export function peakEventsPerProcess(
  base: ExperimentSpec,
  perProcess = base.fleet.producersPerProcess,
): number {
  const peak = Math.max(...base.load.phases.map((p) => p.eventsPerSecond)) * base.scale;
  const producers = Math.max(1, Math.round(base.fleet.producers * base.scale));
  return (peak * Math.min(producers, perProcess)) / producers;
}

/**
 * The worker's spec for `c`: `floodSeconds` of flood (the bench stops it earlier), the producers of one
 * process of the base spec (or `perProcess` of them). Throws if the result does not validate (a base spec
 * the bench cannot shape).
 */
export function benchSpec(
  base: ExperimentSpec,
  c: BenchCase,
  floodSeconds: number,
  perProcess = base.fleet.producersPerProcess,
): ExperimentSpec {
  const drainSeconds = 2;
  const arms: Record<string, unknown> = {};
  if (c.arm === 'pull') arms.pull = { ...(base.arms.pull ?? {}) };
  if (c.arm === 'statsd') arms.statsd = { ...(base.arms.statsd ?? {}), mode: c.mode, flushJitter: true };
  if (c.arm === 'otlp') arms.otlp = { ...(base.arms.otlp ?? {}), protocol: c.mode };
  const input = {
    seed: base.seed,
    scale: 1,
    maxDurationSeconds: Math.ceil(floodSeconds + drainSeconds + 1),
    fleet: { producers: perProcess, producersPerProcess: perProcess },
    load: {
      warmupSeconds: 0,
      phases: [
        {
          name: 'flood',
          durationSeconds: floodSeconds,
          eventsPerSecond: FLOOD_EVENTS_PER_SECOND,
          symbols: openSymbols(base),
        },
      ],
    },
    series: base.series,
    arms,
    collection: { drainSeconds },
  };
  const result = validateSpec(input);
  if (!result.ok) {
    throw new RangeError(
      `bench: cannot shape a ${c.arm}/${c.mode} process from the base spec: ${result.errors.map((e) => e.message).join('; ')}`,
    );
  }
  return result.spec;
}

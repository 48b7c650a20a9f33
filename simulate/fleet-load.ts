/**
 * The load the modelled fleet generates, on a millisecond grid from startAt (t = 0) to the end of the
 * drain: cumulative events (the exact integral of schedule/rate.ts, so a bin's events are a difference
 * of two integrals and nothing is lost to rounding) and the symbols in force. Rates follow the spec's
 * per-producer share: a fleet of N producers generates N × (eventsPerSecond × scale / producers after
 * scale), so modelling 100,000 producers keeps each producer's load and grows the fleet's.
 */
import { phasesSeconds, scaledProducers } from '../api/v1alpha1/derived.ts';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { buildRateSchedule, expectedEvents, type RateSchedule, symbolsAt } from '../schedule/rate.ts';

/** The fleet's load on the model's grid. */
export interface FleetLoad {
  producers: number;
  /** Milliseconds modelled: phases plus drain. */
  totalMs: number;
  /** Fleet-wide events expected by each ms boundary: `cumulative[k]` at t = k ms; length totalMs + 1. */
  cumulative: Float64Array;
  schedule: RateSchedule;
  /** Symbols in force at `t` seconds. */
  symbolsAt(t: number): number;
}

/** The longest timeline the model takes: its millisecond arrays cost ~50 bytes per ms modelled. */
export const MAX_MODEL_SECONDS = 3600;

/** The spec's load for a fleet of `producers`; a RangeError when the timeline is longer than the model takes. */
export function fleetLoad(spec: ExperimentSpec, producers: number): FleetLoad {
  const factor = (spec.scale * producers) / scaledProducers(spec);
  const schedule = buildRateSchedule(spec.load.phases, factor);
  const seconds = phasesSeconds(spec) + spec.collection.drainSeconds;
  if (seconds > MAX_MODEL_SECONDS) {
    throw new RangeError(
      `spec.load.phases: the phases and drain last ${seconds} s; pushpull simulate models at most ${MAX_MODEL_SECONDS} s (simulate the burst, not the day)`,
    );
  }
  const totalMs = Math.round(seconds * 1000);
  const cumulative = new Float64Array(totalMs + 1);
  for (let k = 0; k <= totalMs; k++) cumulative[k] = expectedEvents(schedule, k / 1000);
  return { producers, totalMs, cumulative, schedule, symbolsAt: (t) => symbolsAt(schedule, t) };
}

/** Fleet events in (fromMs, toMs], clamped to the grid. */
export function eventsBetween(load: FleetLoad, fromMs: number, toMs: number): number {
  const at = (ms: number) => load.cumulative[Math.max(0, Math.min(load.totalMs, Math.floor(ms)))]!;
  return at(toMs) - at(fromMs);
}

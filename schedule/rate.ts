/**
 * The rate schedule as pure math: the event rate at a time since `startAt`, its exact integral (how many
 * events should exist by then) and the phase in force. The producer's generation loop (loadgen/generator.ts)
 * generates `floor(expectedEvents(t)) - generated` events per tick, so it never drifts and its shortfall
 * (`expected - generated`) is an honest lag; the timeline, the simulator and the report read the same numbers.
 */
import type { Phase } from '../api/v1alpha1/schema.ts';

/** One phase placed on the time axis, rates already multiplied by the schedule's factor. */
export interface ScheduledPhase {
  index: number;
  name: string;
  /** Seconds since startAt at which the phase begins. */
  startSeconds: number;
  endSeconds: number;
  rampSeconds: number;
  /** Rate at the phase's first instant: the rate the previous phase ended at (0 for the first phase). */
  fromRate: number;
  /** Rate the ramp reaches (and holds) in this phase. */
  rate: number;
  /** Symbols in use from this phase on: never fewer than any earlier phase's. */
  symbols: number;
  /** Events expected before the phase begins. */
  eventsAtStart: number;
}

/** A rate schedule: phases back to back from t = 0; the rate is 0 before the first and after the last. */
export interface RateSchedule {
  phases: readonly ScheduledPhase[];
  /** Seconds from startAt to the end of the last phase. */
  totalSeconds: number;
  /** Events expected over the whole schedule. */
  totalEvents: number;
}

/** Rate of phase `p` at `tau` seconds into it (0 <= tau <= duration). */
function rateInPhase(p: ScheduledPhase, tau: number): number {
  if (p.rampSeconds > 0 && tau < p.rampSeconds)
    return p.fromRate + ((p.rate - p.fromRate) * tau) / p.rampSeconds;
  return p.rate;
}

/** Events phase `p` produces in its first `tau` seconds: the area under a linear ramp, then a rectangle. */
function eventsInPhase(p: ScheduledPhase, tau: number): number {
  if (tau <= 0) return 0;
  if (p.rampSeconds > 0) {
    const rampPart = Math.min(tau, p.rampSeconds);
    const ramped = ((p.fromRate + rateInPhase(p, rampPart)) / 2) * rampPart;
    return ramped + p.rate * Math.max(0, tau - p.rampSeconds);
  }
  return p.rate * tau;
}

/**
 * Places the spec's phases on the time axis. `factor` multiplies every rate: the spec's `scale` for the
 * fleet-wide schedule, `scale / producers` for one virtual producer's share (see `producerFactor`).
 * A ramp longer than its phase is cut where the phase ends, and the next phase ramps from there.
 */
export function buildRateSchedule(phases: readonly Phase[], factor = 1): RateSchedule {
  if (!(factor >= 0) || !Number.isFinite(factor)) {
    throw new RangeError(`rate factor: ${factor} is not allowed; expected a finite number >= 0`);
  }
  const placed: ScheduledPhase[] = [];
  let start = 0;
  let previousEndRate = 0;
  let events = 0;
  let symbols = 0;
  phases.forEach((phase, index) => {
    symbols = Math.max(symbols, phase.symbols);
    const p: ScheduledPhase = {
      index,
      name: phase.name,
      startSeconds: start,
      endSeconds: start + phase.durationSeconds,
      rampSeconds: phase.rampSeconds ?? 0,
      // A phase without a ramp starts at its own rate; one with a ramp climbs from where the last one ended.
      fromRate: (phase.rampSeconds ?? 0) > 0 ? previousEndRate : phase.eventsPerSecond * factor,
      rate: phase.eventsPerSecond * factor,
      symbols,
      eventsAtStart: events,
    };
    placed.push(p);
    events += eventsInPhase(p, phase.durationSeconds);
    previousEndRate = rateInPhase(p, phase.durationSeconds);
    start = p.endSeconds;
  });
  return { phases: placed, totalSeconds: start, totalEvents: events };
}

/** Index of the phase in force at `t`: -1 before startAt, `phases.length` at or after the end. */
export function phaseIndexAt(schedule: RateSchedule, t: number): number {
  if (t < 0) return -1;
  const { phases } = schedule;
  // Phases are few (<= 50): a linear scan is simpler than a binary search and as fast.
  for (let i = 0; i < phases.length; i++) {
    if (t < phases[i]!.endSeconds) return i;
  }
  return phases.length;
}

/** The phase in force at `t` seconds since startAt, or undefined before the first and after the last. */
export function phaseAt(schedule: RateSchedule, t: number): ScheduledPhase | undefined {
  return schedule.phases[phaseIndexAt(schedule, t)];
}

/** Rate (events per second) at `t` seconds since startAt. */
export function rateAt(schedule: RateSchedule, t: number): number {
  const p = phaseAt(schedule, t);
  return p ? rateInPhase(p, t - p.startSeconds) : 0;
}

/** Events that should have happened by `t` seconds since startAt: the exact integral of `rateAt`. */
export function expectedEvents(schedule: RateSchedule, t: number): number {
  const i = phaseIndexAt(schedule, t);
  if (i < 0) return 0;
  const p = schedule.phases[i];
  if (!p) return schedule.totalEvents;
  return p.eventsAtStart + eventsInPhase(p, t - p.startSeconds);
}

/**
 * Symbols in use at `t`: the first phase's before startAt (series a producer declares while it waits), the
 * largest so far afterwards, and the last phase's after the end (series never shrink).
 */
export function symbolsAt(schedule: RateSchedule, t: number): number {
  const { phases } = schedule;
  const i = phaseIndexAt(schedule, t);
  const p = phases[Math.min(Math.max(i, 0), phases.length - 1)];
  return p ? p.symbols : 1;
}

/** The factor that turns fleet-wide rates into one virtual producer's share. */
export function producerFactor(scale: number, producers: number): number {
  if (!(producers >= 1)) throw new RangeError(`producers: ${producers} is not allowed; expected >= 1`);
  return scale / producers;
}

/**
 * Whole events due by `t`: floor of the integral, with a relative tolerance so that a boundary computed as
 * 1324.9999999999998 instead of 1325 does not leave one event to the next tick.
 */
export function dueEvents(schedule: RateSchedule, t: number): number {
  const x = expectedEvents(schedule, t);
  return Math.floor(x + 1e-9 * Math.max(1, x));
}

/**
 * The experiment timeline on the wall clock: from `startAt` and the spec, the absolute phase boundaries, the
 * end of load and the end of the drain, and where a given instant falls. Time is an input (a `Clock`), so a
 * producer that joins mid-schedule, one that waits for a future start, and every phase edge are unit-testable
 * without sleeping. Used by the producer, the local runner and the operator.
 */
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { buildRateSchedule, type RateSchedule } from './rate.ts';

/** A source of wall-clock time in epoch milliseconds; injected everywhere so tests control time. */
export interface Clock {
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A phase on the wall clock. */
export interface TimelinePhase {
  index: number;
  name: string;
  startMs: number;
  /** When the ramp reaches the phase's rate (= startMs for a step). */
  rampEndMs: number;
  endMs: number;
  symbols: number;
}

/** The whole experiment on the wall clock. */
export interface Timeline {
  startAtMs: number;
  phases: TimelinePhase[];
  /** End of the last phase: no events after this. */
  loadEndMs: number;
  /** End of the drain: the cut-off for in-flight data. */
  drainEndMs: number;
}

/** Where an instant falls on the timeline. */
export type TimelineState =
  | { stage: 'waiting'; msUntilStart: number }
  | { stage: 'load'; phase: TimelinePhase; secondsSinceStart: number }
  | { stage: 'draining'; msUntilDrainEnd: number }
  | { stage: 'done'; msSinceDrainEnd: number };

/** Parses an RFC 3339 instant; the error names the field, the value and the expected form. */
export function parseStartAt(value: string, field = 'startAt'): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `${field}: ${JSON.stringify(value)} is not an instant; expected RFC 3339, e.g. 2026-11-26T09:15:00Z`,
    );
  }
  return ms;
}

/**
 * The startAt instant for a producer fleet: the spec's `load.startAt` when set, else `warmupSeconds` after
 * `readyAtMs` (the moment the runner saw every producer ready).
 */
export function resolveStartAt(spec: Pick<ExperimentSpec, 'load'>, readyAtMs: number): number {
  if (spec.load.startAt !== undefined) return parseStartAt(spec.load.startAt, 'load.startAt');
  return readyAtMs + spec.load.warmupSeconds * 1000;
}

/** Lays the spec's phases on the wall clock from `startAtMs`. */
export function buildTimeline(
  startAtMs: number,
  spec: Pick<ExperimentSpec, 'load' | 'collection'>,
  schedule: RateSchedule = buildRateSchedule(spec.load.phases),
): Timeline {
  const phases = schedule.phases.map((p) => ({
    index: p.index,
    name: p.name,
    startMs: startAtMs + p.startSeconds * 1000,
    rampEndMs: startAtMs + Math.min(p.startSeconds + p.rampSeconds, p.endSeconds) * 1000,
    endMs: startAtMs + p.endSeconds * 1000,
    symbols: p.symbols,
  }));
  const loadEndMs = startAtMs + schedule.totalSeconds * 1000;
  const drainSeconds = spec.collection?.drainSeconds ?? 0;
  return { startAtMs, phases, loadEndMs, drainEndMs: loadEndMs + drainSeconds * 1000 };
}

/** Seconds since startAt at `nowMs` (negative while waiting). */
export function secondsSinceStart(timeline: Timeline, nowMs: number): number {
  return (nowMs - timeline.startAtMs) / 1000;
}

/** Where `nowMs` falls: waiting for the start, in a phase, draining, or done. */
export function timelineStateAt(timeline: Timeline, nowMs: number): TimelineState {
  if (nowMs < timeline.startAtMs) return { stage: 'waiting', msUntilStart: timeline.startAtMs - nowMs };
  if (nowMs < timeline.loadEndMs) {
    const t = secondsSinceStart(timeline, nowMs);
    const byIndex = timeline.phases.findIndex((p) => nowMs < p.endMs);
    const phase = timeline.phases[byIndex];
    if (phase) return { stage: 'load', phase, secondsSinceStart: t };
  }
  if (nowMs < timeline.drainEndMs) return { stage: 'draining', msUntilDrainEnd: timeline.drainEndMs - nowMs };
  return { stage: 'done', msSinceDrainEnd: nowMs - timeline.drainEndMs };
}

/**
 * Where a producer joins a schedule it was armed for at `nowMs`: at t = 0 when the start is still ahead, or
 * mid-schedule (t > 0) when startAt has passed. A late joiner starts from the events already due instead
 * of bursting them all out at once; the producer records the skipped count.
 */
export function joinSecondsAt(timeline: Timeline, nowMs: number): number {
  return Math.max(0, secondsSinceStart(timeline, nowMs));
}

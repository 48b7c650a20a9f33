/**
 * The one driver of a rehearsal, as a pure function: from what the runtime has observed and the clock, the
 * stage the run is in, what to do next and when to look again. Both runtimes are this machine plus an
 * adapter: `pushpull run` (local/rehearsal.ts) loops over it doing each stage's work with processes, and
 * the operator's reconcile (operator/timeline/) asks it at every pass, doing the work with objects.
 *
 *   collectors → fleet → targets-up → arm (one startAt) → load (phases) → drain → cut-off → collect → done
 *
 * A stop (a signal, a dead collector, an error) skips what is left of the load and goes straight to the
 * cut-off, so what was measured is still collected. See docs/architecture.md.
 */
import type { Timeline } from '../schedule/timeline.ts';

/** The stages, in order. */
export const STAGES = [
  'collectors',
  'fleet',
  'targets-up',
  'arm',
  'load',
  'drain',
  'cut-off',
  'collect',
  'done',
] as const;
export type Stage = (typeof STAGES)[number];

/** Why a run ended before its timeline did. */
export interface StopRequest {
  outcome: 'interrupted' | 'failed';
  reason: string;
  atMs: number;
}

/** What the runtime has observed so far; each flag turns true once and stays so. */
export interface DriverFacts {
  /** Every collector answers (processes ready here, pods Ready there). */
  collectorsUp: boolean;
  /** Every producer process (or pod) runs and answers on its rig endpoint. */
  fleetUp: boolean;
  /** Every pull target is up in the subject Prometheus (true when the spec has no pull arm). */
  targetsUp: boolean;
  /** The fleet's timeline, once startAt is fixed. */
  timeline: Timeline | null;
  /** Every producer acknowledged startAt. */
  armed: boolean;
  /** The producers were stopped (or the drain ended) and the cut-off instant taken. */
  cutOffAtMs: number | null;
  /** The report was assembled and written. */
  collected: boolean;
  stop: StopRequest | null;
}

/** A run that has observed nothing yet. */
export const INITIAL_FACTS: DriverFacts = {
  collectorsUp: false,
  fleetUp: false,
  targetsUp: false,
  timeline: null,
  armed: false,
  cutOffAtMs: null,
  collected: false,
  stop: null,
};

/** What the machine says at one instant. */
export interface Decision {
  stage: Stage;
  /** Within the load: the phase now running. */
  phase?: string;
  /** When the answer changes by the clock alone (a phase edge, the end of the load or the drain). */
  wakeAtMs?: number;
}

/** The stage of the run at `nowMs`. */
export function decide(facts: DriverFacts, nowMs: number): Decision {
  if (facts.collected) return { stage: 'done' };
  if (facts.cutOffAtMs !== null) return { stage: 'collect' };
  if (facts.stop) return { stage: 'cut-off' };
  if (!facts.collectorsUp) return { stage: 'collectors' };
  if (!facts.fleetUp) return { stage: 'fleet' };
  if (!facts.targetsUp) return { stage: 'targets-up' };
  const t = facts.timeline;
  if (!t || !facts.armed) return { stage: 'arm' };
  if (nowMs < t.loadEndMs) {
    const phase = t.phases.find((p) => nowMs < p.endMs);
    const edges = [t.startAtMs, ...t.phases.map((p) => p.endMs)].filter((e) => e > nowMs);
    return {
      stage: 'load',
      ...(phase && nowMs >= t.startAtMs ? { phase: phase.name } : {}),
      wakeAtMs: Math.min(...edges),
    };
  }
  if (nowMs < t.drainEndMs) return { stage: 'drain', wakeAtMs: t.drainEndMs };
  return { stage: 'cut-off' };
}

/**
 * The end of the pull figures' window. Prometheus stamps a scrape with its start time, so a scrape that
 * starts just before the cut-off and then meets a producer shutting down would land inside the window as
 * `up == 0`: the window ends one scrape timeout before the cut-off, when every scrape in it has finished.
 */
export function pullWindowEndMs(cutOffAtMs: number, scrapeTimeoutSeconds: number | undefined): number {
  return cutOffAtMs - (scrapeTimeoutSeconds ?? 0) * 1000;
}

/** The run's outcome once it is collected. */
export function outcomeOf(facts: DriverFacts): 'completed' | 'interrupted' | 'failed' {
  return facts.stop ? facts.stop.outcome : 'completed';
}

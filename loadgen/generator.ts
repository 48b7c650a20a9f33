/**
 * The generation loop's core, one tick at a time: for each virtual producer, generate the events the
 * schedule says are due (`floor(expected(t)) - generated`), at most a bounded number per tick, and record
 * how far behind the schedule it is instead of blocking the event loop to catch up (nor catching up after
 * the schedule's end: that would move load out of the phase it belongs to). Pure apart from the
 * sinks it calls: time comes from the injected clock, randomness from per-producer seeded PRNGs, so tests
 * drive it tick by tick. loadgen/producer.ts runs it on a timer.
 */

import type { Series } from '../api/v1alpha1/schema.ts';
import { dueEvents, type RateSchedule, symbolsAt } from '../schedule/rate.ts';
import type { Clock } from '../schedule/timeline.ts';
import type { ArmSink } from './arms/arm.ts';
import type { ProducerLedger } from './ledger.ts';
import { emptyOrderEvent, nextOrderEvent } from './order-events.ts';
import { createPrng, deriveSeed, type Prng } from './prng.ts';

/** What the generator needs. */
export interface GeneratorOptions {
  /** One producer's share of the fleet schedule (rates already scaled and divided by producers). */
  schedule: RateSchedule;
  startAtMs: number;
  /** When the schedule was armed; if after startAt the producers join mid-schedule. */
  armedAtMs: number;
  clock: Clock;
  series: Series;
  seed: number;
  /** Fleet-wide producer indexes, index-aligned with ledgers and sinks. */
  producerIndexes: readonly number[];
  ledgers: readonly ProducerLedger[];
  sinks: readonly ArmSink[];
  /** Called when the schedule moves to a larger symbol count. */
  onSymbols(symbols: number): void;
  /** Upper bound on events generated per tick over all producers of the process. */
  maxEventsPerTick: number;
  /** A producer behind its schedule continuously for this long is marked rigLimited. */
  rigLimitAfterMs: number;
}

/** What one tick did. */
export interface TickResult {
  nowMs: number;
  /** Seconds since startAt. */
  t: number;
  generated: number;
  /** Some producer still has due events after this tick (the per-tick cap was hit): tick again soon. */
  behind: boolean;
  /**
   * The schedule is over. A shortfall left at this point is not made up later (that would move load past
   * the schedule's end): it stays in the ledger as scheduleLagNowEvents, the events never generated.
   */
  done: boolean;
}

/** A tickable generator. */
export interface Generator {
  tick(): TickResult;
}

/** Creates a generator; producers joining after startAt start from the events already due. */
export function createGenerator(opts: GeneratorOptions): Generator {
  const { schedule, ledgers, sinks, series, clock } = opts;
  const n = ledgers.length;
  if (sinks.length !== n || opts.producerIndexes.length !== n) {
    throw new RangeError(
      `generator: ${n} ledgers, ${sinks.length} sinks and ${opts.producerIndexes.length} indexes differ`,
    );
  }
  const prngs: Prng[] = opts.producerIndexes.map((i) => createPrng(deriveSeed(opts.seed, 'events', i)));
  const generated = new Array<number>(n).fill(0);
  const behindSinceMs = new Array<number | null>(n).fill(null);
  const perProducerCap = Math.max(1, Math.floor(opts.maxEventsPerTick / Math.max(1, n)));
  const event = emptyOrderEvent();

  const joinT = Math.max(0, (opts.armedAtMs - opts.startAtMs) / 1000);
  const skipped = dueEvents(schedule, joinT);
  for (let i = 0; i < n; i++) {
    generated[i] = skipped;
    ledgers[i]!.eventsSkippedOnJoin = skipped;
  }
  let symbols = symbolsAt(schedule, joinT > 0 ? joinT : -1);

  return {
    tick(): TickResult {
      const nowMs = clock.now();
      const t = (nowMs - opts.startAtMs) / 1000;
      const due = dueEvents(schedule, t);
      const activeSymbols = symbolsAt(schedule, t);
      if (activeSymbols > symbols) {
        symbols = activeSymbols;
        opts.onSymbols(symbols);
      }
      let total = 0;
      let behind = false;
      const done = t >= schedule.totalSeconds;
      for (let i = 0; i < n; i++) {
        const ledger = ledgers[i]!;
        const want = due - generated[i]!;
        const count = Math.min(want, perProducerCap);
        if (count > 0) {
          const sink = sinks[i]!;
          const prng = prngs[i]!;
          for (let k = 0; k < count; k++) sink.record(nextOrderEvent(prng, series, symbols, event));
          generated[i]! += count;
          ledger.eventsGenerated += count;
          total += count;
        }
        const lag = Math.max(0, due - generated[i]!);
        ledger.scheduleLagNowEvents = lag;
        if (lag > ledger.scheduleLagMaxEvents) ledger.scheduleLagMaxEvents = lag;
        if (lag > 0) {
          behind = true;
          const since = behindSinceMs[i] ?? nowMs;
          behindSinceMs[i] = since;
          if (!ledger.rigLimited && nowMs - since >= opts.rigLimitAfterMs) {
            ledger.rigLimited = true;
            ledger.rigLimitedSince = new Date(since).toISOString();
          }
        } else {
          behindSinceMs[i] = null;
        }
      }
      return { nowMs, t, generated: total, behind, done };
    },
  };
}

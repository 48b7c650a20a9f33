/**
 * The rig's path for one case: the producer's own arm (loadgen/arms/create-arm.ts) and generation loop
 * (loadgen/generator.ts) with its ledgers, built exactly as loadgen/producer.ts builds them. The generator's
 * clock is a bench clock that advances by one batch's worth of schedule per tick, so every tick generates
 * exactly `eventsPerProducer` events per virtual producer: the same work as one batch of the library layer,
 * plus the schedule math, event generation (seeded PRNG, lognormal latency), the arm's lookups and
 * wrappers, and the ledger. The arm's own clock is the wall clock, so its flush timers run between batches
 * as in a producer. The generator layer is the same loop with sinks that record nothing (they read the
 * event and count the metric updates in the ledger as the arms do): what the rig costs on its own.
 * Called by bench/per-event.ts.
 */

import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { HostPort } from '../loadgen/address.ts';
import type { ArmSink } from '../loadgen/arms/arm.ts';
import { createArm } from '../loadgen/arms/create-arm.ts';
import { createGenerator, type Generator } from '../loadgen/generator.ts';
import { newProducerLedger, type ProducerLedger } from '../loadgen/ledger.ts';
import { buildRateSchedule } from '../schedule/rate.ts';
import { systemClock } from '../schedule/timeline.ts';
import type { BenchCase } from './cases.ts';
import type { BenchLayer, LayerContext } from './layer.ts';

/** Where the arm sends (statsd, otlp). */
export interface RigTargets {
  statsd?: HostPort;
  otlpEndpoint?: string;
}

/** One event per millisecond per producer: a tick `k` ms later owes each producer exactly `k` events. */
const EVENTS_PER_SECOND_PER_PRODUCER = 1000;

/**
 * The producer's generator over `sinks`, on a bench clock: `advance()` moves the clock so that the next
 * tick owes every producer exactly `ctx.eventsPerProducer` events.
 */
function benchGenerator(
  ctx: LayerContext,
  ledgers: readonly ProducerLedger[],
  sinks: readonly ArmSink[],
  onSymbols: (symbols: number) => void,
): { generator: Generator; advance(): void } {
  let benchNowMs = 0;
  const generator = createGenerator({
    schedule: buildRateSchedule([
      {
        name: 'bench',
        durationSeconds: 86_400,
        eventsPerSecond: EVENTS_PER_SECOND_PER_PRODUCER,
        rampSeconds: 0,
        symbols: ctx.symbols,
      },
    ]),
    startAtMs: 0,
    armedAtMs: 0,
    clock: { now: () => benchNowMs },
    series: ctx.series,
    seed: ctx.seed,
    producerIndexes: ctx.producerIndexes,
    ledgers,
    sinks,
    onSymbols,
    // Never the cap: a tick must record the whole batch.
    maxEventsPerTick: 4 * ctx.eventsPerProducer * ctx.producerIds.length,
    rigLimitAfterMs: 1000,
  });
  const stepMs = (ctx.eventsPerProducer * 1000) / EVENTS_PER_SECOND_PER_PRODUCER;
  return {
    generator,
    advance: () => {
      benchNowMs += stepMs;
    },
  };
}

/** The rig's own cost: schedule, event generation and ledger, with sinks that record nothing. */
export function generatorLayer(ctx: LayerContext): BenchLayer {
  const ledgers = ctx.producerIds.map(newProducerLedger);
  let checksum = 0;
  const sinks: ArmSink[] = ledgers.map((ledger) => ({
    record(e) {
      // Reading the event keeps the compiler from dropping its generation.
      checksum += e.region + e.symbol + e.route + e.status + e.latencySeconds;
      ledger.metricUpdates += 2;
    },
  }));
  const { generator, advance } = benchGenerator(ctx, ledgers, sinks, () => {});
  return {
    name: 'generator',
    runBatch() {
      advance();
      return generator.tick().generated;
    },
    async close() {
      if (Number.isNaN(checksum)) throw new Error('bench: generated a NaN latency');
    },
  };
}

/** Builds the rig layer for case `c` of the bench spec. */
export async function rigLayer(
  ctx: LayerContext,
  spec: ExperimentSpec,
  c: BenchCase,
  targets: RigTargets,
): Promise<BenchLayer> {
  const ledgers = ctx.producerIds.map(newProducerLedger);
  const arm = await createArm(
    c.arm,
    {
      spec,
      producerIds: ctx.producerIds,
      producerIndexes: ctx.producerIndexes,
      ledgers,
      vocabulary: ctx.vocabulary,
      buckets: ctx.buckets,
      clock: systemClock,
    },
    { metricsListen: { host: '127.0.0.1', port: 0 }, ...targets },
  );
  await arm.start();
  arm.declareSymbols(ctx.symbols);
  const { generator, advance } = benchGenerator(ctx, ledgers, arm.sinks, (symbols) =>
    arm.declareSymbols(symbols),
  );
  return {
    name: 'rig',
    runBatch() {
      advance();
      return generator.tick().generated;
    },
    close: () => arm.shutdown(),
  };
}

/**
 * The simulation: one spec, a fleet size, the collectors' sizing and a calibration in; every arm's
 * per-100 ms series and figures out. Pure and deterministic (the spec's seed drives every offset), so
 * `pushpull simulate` and the tests get the same numbers. The CLI (cli/commands/simulate.ts) renders the
 * result; against.ts compares it with a measured report.
 */
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { BIN_MS, type BinStats, binStats, rebin } from './bins.ts';
import { fleetLoad } from './fleet-load.ts';
import { type OtlpResult, otlpExports } from './otlp-exports.ts';
import { type PullResult, pullScrapes } from './pull-scrapes.ts';
import type { Calibration, Sizing } from './sizing.ts';
import { statsdArrivals } from './statsd-arrivals.ts';
import { udpQueue } from './udp-queue.ts';

/** What the simulation is asked. */
export interface SimulationInput {
  spec: ExperimentSpec;
  /** Producers per arm to model. */
  producers: number;
  /** Wall-clock ms of startAt (flush and scrape offsets sit on the wall clock). */
  startAtMs: number;
  sizing: Sizing;
  calibration: Calibration;
}

/** The StatsD arm's prediction. */
export interface StatsdPrediction {
  mode: string;
  /** Datagrams, bytes and kernel drops per 100 ms bin. */
  datagrams: Float64Array;
  bytes: Float64Array;
  drops: Float64Array;
  datagramStats: BinStats;
  sent: number;
  kernelDrops: number;
  firstDropMs: number | null;
  capacityDatagrams: number;
  effectiveBufferBytes: number;
}

/** Everything the model predicts for one spec and fleet. */
export interface SimulationResult {
  producers: number;
  totalMs: number;
  /** Fleet events per 100 ms bin. */
  events: Float64Array;
  statsd?: StatsdPrediction;
  pull?: PullResult;
  otlp?: OtlpResult;
}

/** Runs the model. */
export function simulate(input: SimulationInput): SimulationResult {
  const { spec, sizing, calibration: cal } = input;
  const load = fleetLoad(spec, input.producers);
  const bins = Math.ceil(load.totalMs / BIN_MS);
  const events = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    events[b] = load.cumulative[Math.min(load.totalMs, (b + 1) * BIN_MS)]! - load.cumulative[b * BIN_MS]!;
  }
  const result: SimulationResult = { producers: input.producers, totalMs: load.totalMs, events };
  const { statsd, pull, otlp } = spec.arms;
  if (statsd) {
    const arrivals = statsdArrivals({
      spec,
      arm: statsd,
      load,
      startAtMs: input.startAtMs,
      tickMs: sizing.producerTickMs,
    });
    const queue = udpQueue({
      datagrams: arrivals.datagrams,
      bytes: arrivals.bytes,
      senders: arrivals.senders,
      receiveBufferBytes: statsd.receiveBufferBytes,
      rmemMaxBytes: sizing.rmemMaxBytes,
      overheadBytes: cal.datagramOverheadBytes.value,
      drainPerSecond: cal.statsdDrainPerSecond.value,
      senderDatagramsPerSecond: cal.senderDatagramsPerSecond.value,
      senderSecondsPerByte: cal.senderSecondsPerByte.value,
    });
    // Bins on the wall clock's 100 ms slots, as the producers' send slots count them.
    const shift = ((input.startAtMs % BIN_MS) + BIN_MS) % BIN_MS;
    const onWallClock = (perMs: Float64Array) => {
      const shifted = new Float64Array(perMs.length + shift);
      shifted.set(perMs, shift);
      return rebin(shifted);
    };
    const datagrams = onWallClock(arrivals.datagrams);
    let sent = 0;
    let kernelDrops = 0;
    let firstDropMs: number | null = null;
    for (let i = 0; i < arrivals.datagrams.length; i++) {
      sent += arrivals.datagrams[i]!;
      kernelDrops += queue.drops[i]!;
      if (firstDropMs === null && queue.drops[i]! >= 0.5) firstDropMs = i;
    }
    result.statsd = {
      mode: statsd.mode,
      datagrams,
      bytes: onWallClock(arrivals.bytes),
      drops: onWallClock(queue.drops),
      datagramStats: binStats(datagrams),
      sent,
      kernelDrops,
      firstDropMs,
      capacityDatagrams: queue.capacityDatagrams,
      effectiveBufferBytes: queue.effectiveBufferBytes,
    };
  }
  if (pull) {
    result.pull = pullScrapes({
      spec,
      arm: pull,
      load,
      startAtMs: input.startAtMs,
      fqdn: sizing.prometheusFqdn,
      externalLabels: sizing.externalLabels,
      cores: sizing.prometheusCores,
      baseSeconds: cal.scrapeBaseSeconds.value,
      bytesPerSecond: cal.scrapeBytesPerSecond.value,
      tailSeconds: cal.scrapeTailSeconds.value,
    });
  }
  if (otlp) {
    result.otlp = otlpExports({
      spec,
      arm: otlp,
      load,
      cores: sizing.otelcolCores,
      requestSeconds: cal.otlpRequestSeconds.value,
      bytesPerSeries: cal.otelcolBytesPerSeries.value,
      bytesPerPoint: cal.otelcolBytesPerPoint.value,
      memoryLimitMiB: sizing.otelcolMemoryLimitMiB,
      spikeLimitMiB: sizing.otelcolSpikeLimitMiB,
      batchTimeoutMs: sizing.otelcolBatchTimeoutMs,
    });
  }
  return result;
}

/**
 * The OTLP arm: each producer's PeriodicExportingMetricReader exports every exportIntervalMs from its
 * own start (loadgen/arms/otlp.ts), so the model spreads producers' phases evenly over the interval.
 * Points per export follow the temporality: cumulative exports every declared counter series (the arm
 * declares them at zero) and every histogram series touched so far; delta only the series touched in
 * the interval. otelcol's work and memory follow: CPU per request against its cores, and memory (the
 * series its Prometheus exporter holds plus the points waiting in the batch processor) against the
 * memory_limiter's soft limit (limit − spike), past which it refuses data.
 */
import type { ExperimentSpec, OtlpArm } from '../api/v1alpha1/schema.ts';
import { BIN_MS, maxOf } from './bins.ts';
import { eventsBetween, type FleetLoad } from './fleet-load.ts';
import { countersPerSymbol, distinctTouched, histogramsPerSymbol } from './series-shape.ts';

/** Inputs of the OTLP model. */
export interface OtlpInput {
  spec: ExperimentSpec;
  arm: OtlpArm;
  load: FleetLoad;
  cores: number;
  requestSeconds: number;
  bytesPerSeries: number;
  bytesPerPoint: number;
  memoryLimitMiB: number;
  spikeLimitMiB: number;
  batchTimeoutMs: number;
}

/** What the OTLP model predicts. */
export interface OtlpResult {
  /** Export requests and points per 100 ms bin. */
  requests: Float64Array;
  points: Float64Array;
  /** otelcol memory (bytes) and CPU busy fraction per bin. */
  memoryBytes: Float64Array;
  cpuBusy: Float64Array;
  softLimitBytes: number;
  peakRequestsPerSecond: number;
  peakPointsPerSecond: number;
  peakMemoryBytes: number;
  firstRefusalMs: number | null;
  firstCpuSaturationMs: number | null;
}

/** Runs the OTLP model. */
export function otlpExports(input: OtlpInput): OtlpResult {
  const { load, arm, spec } = input;
  const interval = arm.exportIntervalMs;
  const bins = Math.ceil(load.totalMs / BIN_MS);
  const requests = new Float64Array(bins);
  const points = new Float64Array(bins);
  const series = new Float64Array(bins);
  const cps = countersPerSymbol(spec.series);
  const hps = histogramsPerSymbol(spec.series);
  // Producers per phase millisecond, spread evenly.
  const perPhase = new Float64Array(interval);
  for (let i = 0; i < load.producers; i++) perPhase[Math.floor((i * interval) / load.producers)]! += 1;
  for (let phase = 0; phase < interval; phase++) {
    const count = perPhase[phase]!;
    if (count === 0) continue;
    for (let t = phase; t < load.totalMs; t += interval) {
      const symbols = load.symbolsAt(t / 1000);
      const cumulative = load.cumulative[t]! / load.producers;
      const recent = eventsBetween(load, t - interval, t) / load.producers;
      const histSeen = distinctTouched(symbols * hps, cumulative);
      const exported =
        arm.temporality === 'cumulative'
          ? symbols * cps + histSeen
          : distinctTouched(symbols * cps, recent) + distinctTouched(symbols * hps, recent);
      const b = Math.floor(t / BIN_MS);
      requests[b]! += count;
      points[b]! += count * exported;
      series[b] = Math.max(series[b]!, load.producers * (symbols * cps + histSeen));
    }
  }
  const softLimitBytes = (input.memoryLimitMiB - input.spikeLimitMiB) * 1024 * 1024;
  const memoryBytes = new Float64Array(bins);
  const cpuBusy = new Float64Array(bins);
  const batchBins = Math.max(1, Math.round(input.batchTimeoutMs / BIN_MS));
  let held = 0;
  let waiting = 0;
  let firstRefusalMs: number | null = null;
  let firstCpuSaturationMs: number | null = null;
  let peakMemoryBytes = 0;
  for (let b = 0; b < bins; b++) {
    held = Math.max(held, series[b]!);
    waiting += points[b]!;
    if (b >= batchBins) waiting -= points[b - batchBins]!;
    memoryBytes[b] = held * input.bytesPerSeries + waiting * input.bytesPerPoint;
    peakMemoryBytes = Math.max(peakMemoryBytes, memoryBytes[b]!);
    cpuBusy[b] = (requests[b]! * input.requestSeconds) / ((BIN_MS / 1000) * input.cores);
    if (firstRefusalMs === null && memoryBytes[b]! > softLimitBytes) firstRefusalMs = b * BIN_MS;
    if (firstCpuSaturationMs === null && cpuBusy[b]! > 1) firstCpuSaturationMs = b * BIN_MS;
  }
  const perSecond = 1000 / BIN_MS;
  return {
    requests,
    points,
    memoryBytes,
    cpuBusy,
    softLimitBytes,
    peakRequestsPerSecond: maxOf(requests) * perSecond,
    peakPointsPerSecond: maxOf(points) * perSecond,
    peakMemoryBytes,
    firstRefusalMs,
    firstCpuSaturationMs,
  };
}

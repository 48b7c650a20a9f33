/**
 * The simulation's answer as one JSON-ready object: what was modelled (fleet, startAt, sizing, the
 * calibration and where each value came from), every arm's figures, the predicted failures and the
 * verdict sentence, and the per-100 ms series. `--json` prints it; render-text.ts and render-html.ts
 * draw it.
 */
import type { AgainstResult, Comparison } from './against.ts';
import { type BinStats, binStats, maxOf } from './bins.ts';
import { type PredictedFailure, predictedFailures, verdictSentence } from './failures.ts';
import type { SimulationInput, SimulationResult } from './model.ts';
import type { SeedTable } from './seed-table.ts';
import type { Calibration, Sizing } from './sizing.ts';

/** One series of the output, per 100 ms bin. */
export interface SummarySeries {
  id: string;
  label: string;
  unit: string;
  per100ms: number[];
}

/** The simulation's whole answer. */
export interface SimulationSummary {
  experiment: string;
  producers: number;
  startAt: string;
  /** Where startAt came from: the spec, --start-at, a run's load start, or assumed on every grid. */
  startAtSource: string;
  modelledSeconds: number;
  sizing: Sizing;
  calibration: Calibration;
  events: BinStats;
  statsd?: {
    mode: string;
    datagramsPer100ms: BinStats;
    bytesPer100msPeak: number;
    sent: number;
    kernelDrops: number;
    lossRatio: number;
    firstDropSeconds: number | null;
    socketHoldsDatagrams: number;
    effectiveBufferBytes: number;
  };
  pull?: {
    targets: number;
    scrapesStartedPer100ms: BinStats;
    bytesInFlightPer100msPeak: number;
    scrapeSeconds: { p50: number; p99: number; max: number };
    timeouts: number;
    scrapes: number;
    bodyBytes: { before: number; max: number };
    expositionBytesPerSecond: number;
    firstTargetOffsetsMs: number[];
  };
  otlp?: {
    requestsPerSecondPeak: number;
    pointsPerSecondPeak: number;
    memoryBytesPeak: number;
    softLimitBytes: number;
    cpuBusyPeak: number;
  };
  failures: PredictedFailure[];
  verdict: string;
  series: SummarySeries[];
  against?: Array<{ run: string; comparisons: Comparison[]; firstFailure: AgainstResult['firstFailure'] }>;
  seedTable?: Omit<SeedTable, 'withoutJitter' | 'withJitter'> & {
    withoutJitter: BinStats;
    withJitter: BinStats;
  };
}

const list = (a: Float64Array) => Array.from(a, (v) => Math.round(v * 1000) / 1000);

/** Summarises a simulation. */
export function summarize(
  experiment: string,
  input: SimulationInput,
  r: SimulationResult,
  startAtSource: string,
): SimulationSummary {
  const failures = predictedFailures(r);
  const series: SummarySeries[] = [
    { id: 'events', label: 'events', unit: 'events', per100ms: list(r.events) },
  ];
  const out: SimulationSummary = {
    experiment,
    producers: r.producers,
    startAt: new Date(input.startAtMs).toISOString(),
    startAtSource,
    modelledSeconds: r.totalMs / 1000,
    sizing: input.sizing,
    calibration: input.calibration,
    events: binStats(r.events),
    failures,
    verdict: verdictSentence(r, failures, input.calibration),
    series,
  };
  if (r.statsd) {
    const s = r.statsd;
    out.statsd = {
      mode: s.mode,
      datagramsPer100ms: s.datagramStats,
      bytesPer100msPeak: maxOf(s.bytes),
      sent: s.sent,
      kernelDrops: s.kernelDrops,
      lossRatio: s.sent > 0 ? s.kernelDrops / s.sent : 0,
      firstDropSeconds: s.firstDropMs === null ? null : s.firstDropMs / 1000,
      socketHoldsDatagrams: s.capacityDatagrams,
      effectiveBufferBytes: s.effectiveBufferBytes,
    };
    series.push(
      {
        id: 'statsd-datagrams',
        label: `StatsD datagrams arriving (${s.mode})`,
        unit: 'datagrams',
        per100ms: list(s.datagrams),
      },
      { id: 'statsd-drops', label: 'kernel drops', unit: 'datagrams', per100ms: list(s.drops) },
    );
  }
  if (r.pull) {
    const p = r.pull;
    out.pull = {
      targets: p.targets,
      scrapesStartedPer100ms: binStats(p.scrapesStarted),
      bytesInFlightPer100msPeak: maxOf(p.bytesInFlight),
      scrapeSeconds: { p50: p.durationP50, p99: p.durationP99, max: p.durationMax },
      timeouts: p.timeouts,
      scrapes: p.scrapes,
      bodyBytes: { before: p.bodyBytesBefore, max: p.bodyBytesMax },
      expositionBytesPerSecond: p.expositionBytesPerSecond,
      firstTargetOffsetsMs: p.sampleOffsetsMs,
    };
    series.push(
      { id: 'pull-scrapes', label: 'scrapes started', unit: 'count', per100ms: list(p.scrapesStarted) },
      { id: 'pull-bytes', label: 'body bytes in flight', unit: 'bytes', per100ms: list(p.bytesInFlight) },
    );
  }
  if (r.otlp) {
    const o = r.otlp;
    out.otlp = {
      requestsPerSecondPeak: o.peakRequestsPerSecond,
      pointsPerSecondPeak: o.peakPointsPerSecond,
      memoryBytesPeak: o.peakMemoryBytes,
      softLimitBytes: o.softLimitBytes,
      cpuBusyPeak: maxOf(o.cpuBusy),
    };
    series.push(
      { id: 'otlp-requests', label: 'OTLP export requests', unit: 'count', per100ms: list(o.requests) },
      { id: 'otlp-points', label: 'OTLP points', unit: 'points', per100ms: list(o.points) },
      {
        id: 'otelcol-memory',
        label: 'otelcol memory (modelled)',
        unit: 'bytes',
        per100ms: list(o.memoryBytes),
      },
    );
  }
  return out;
}

/** The seed table as the summary carries it (stats, not the bins). */
export function summarizeSeedTable(t: SeedTable): NonNullable<SimulationSummary['seedTable']> {
  const stats = (r: BinStats) => ({ peak: r.peak, mean: r.mean, p99: r.p99 });
  return { ...t, withoutJitter: stats(t.withoutJitter), withJitter: stats(t.withJitter) };
}

/**
 * The pull arm: when each target is scraped (Prometheus's own offset rule, prometheus-offset.ts, on the
 * wall clock), how big its body is then (exposition-size.ts), and how long the scrape takes: a base time
 * plus the body at the calibrated per-scrape rate, slowed when the scrapes of a 100 ms bin together want
 * more than the Prometheus's cores give; a scrape longer than the timeout fails (up == 0) and reads the
 * timeout, as Prometheus records it. Targets are grouped by offset millisecond, so 100,000 targets cost
 * at most one group per millisecond of the interval.
 */
import type { ExperimentSpec, PullArm } from '../api/v1alpha1/schema.ts';
import { SUBJECT_JOBS } from '../collectors/jobs.ts';
import { producerId } from '../schedule/fleet.ts';
import { BIN_MS } from './bins.ts';
import { expositionBytes, expositionSamples, expositionShape } from './exposition-size.ts';
import type { FleetLoad } from './fleet-load.ts';
import { localPullScrapeOffsets, offsetSeed } from './prometheus-offset.ts';

/** Inputs of the pull model. */
export interface PullInput {
  spec: ExperimentSpec;
  arm: PullArm;
  load: FleetLoad;
  startAtMs: number;
  fqdn: string;
  externalLabels: Record<string, string>;
  cores: number;
  baseSeconds: number;
  bytesPerSecond: number;
  /** Added to the p99 only: what the slowest scrapes of a busy host take beyond their body. */
  tailSeconds: number;
}

/** One group of scrapes: `count` targets scraped at `atMs`. */
interface Scrape {
  atMs: number;
  count: number;
  bytes: number;
  seconds: number;
  timedOut: boolean;
}

/** What the pull model predicts. */
export interface PullResult {
  targets: number;
  /** Scrapes started per 100 ms bin. */
  scrapesStarted: Float64Array;
  /** Body bytes being transferred per 100 ms bin. */
  bytesInFlight: Float64Array;
  durationP50: number;
  durationP99: number;
  durationMax: number;
  scrapes: number;
  timeouts: number;
  firstTimeoutMs: number | null;
  firstOverHalfTimeoutMs: number | null;
  firstSampleLimitMs: number | null;
  firstBodyLimitMs: number | null;
  bodyBytesBefore: number;
  bodyBytesMax: number;
  /** Fleet body bytes per second over the busiest scrape interval. */
  expositionBytesPerSecond: number;
  /** Offsets (ms into the interval) of the first targets, for the output's evidence. */
  sampleOffsetsMs: number[];
}

/** The `experiment` label the model's targets carry. */
export const MODEL_EXPERIMENT = 'simulate';

/** The address the model gives process k's targets (their exact value only moves offsets, not their spread). */
export function modelAddress(processIndex: number): string {
  return `producer-${processIndex}:8080`;
}

function weightedQuantile(items: readonly Scrape[], q: number): number {
  const sorted = [...items].sort((a, b) => a.seconds - b.seconds);
  const total = sorted.reduce((n, s) => n + s.count, 0);
  let seen = 0;
  for (const s of sorted) {
    seen += s.count;
    if (seen >= q * total) return s.seconds;
  }
  return sorted[sorted.length - 1]?.seconds ?? Number.NaN;
}

/** Runs the pull model. */
export function pullScrapes(input: PullInput): PullResult {
  const { load, arm, spec } = input;
  const intervalMs = arm.scrapeIntervalSeconds * 1000;
  const timeoutMs = arm.scrapeTimeoutSeconds * 1000;
  const seed = offsetSeed(input.fqdn, input.externalLabels);
  const byOffset = new Map<number, number>();
  const sampleOffsetsMs: number[] = [];
  const offsetOf = localPullScrapeOffsets(
    {
      experiment: MODEL_EXPERIMENT,
      job: SUBJECT_JOBS.pull,
      scrapeIntervalMs: intervalMs,
      scrapeTimeoutMs: timeoutMs,
    },
    seed,
  );
  for (let i = 0; i < load.producers; i++) {
    const o = offsetOf(modelAddress(Math.floor(i / spec.fleet.producersPerProcess)), producerId(i));
    if (i < 5) sampleOffsetsMs.push(o);
    const key = Math.floor(o);
    byOffset.set(key, (byOffset.get(key) ?? 0) + 1);
  }
  const shape = expositionShape(spec.series);
  const bins = Math.ceil(load.totalMs / BIN_MS);
  const demand = new Float64Array(bins);
  const startPhase = ((input.startAtMs % intervalMs) + intervalMs) % intervalMs;
  const scrapes: Scrape[] = [];
  for (const [offset, count] of byOffset) {
    const first = (((offset - startPhase) % intervalMs) + intervalMs) % intervalMs;
    for (let t = first; t < load.totalMs; t += intervalMs) {
      const events = load.cumulative[Math.floor(t)]! / load.producers;
      const bytes = expositionBytes(shape, load.symbolsAt(t / 1000), events);
      demand[Math.floor(t / BIN_MS)]! += count * bytes;
      scrapes.push({ atMs: t, count, bytes, seconds: 0, timedOut: false });
    }
  }
  const capacityPerBin = input.cores * input.bytesPerSecond * (BIN_MS / 1000);
  const scrapesStarted = new Float64Array(bins);
  const bytesInFlight = new Float64Array(bins);
  let timeouts = 0;
  let firstTimeoutMs: number | null = null;
  let firstOverHalfTimeoutMs: number | null = null;
  let firstSampleLimitMs: number | null = null;
  let firstBodyLimitMs: number | null = null;
  const earliest = (a: number | null, t: number) => (a === null || t < a ? t : a);
  for (const s of scrapes) {
    const bin = Math.floor(s.atMs / BIN_MS);
    const slowdown = Math.max(1, demand[bin]! / capacityPerBin);
    const seconds = input.baseSeconds + (s.bytes / input.bytesPerSecond) * slowdown;
    s.timedOut = seconds * 1000 > timeoutMs;
    s.seconds = Math.min(seconds, arm.scrapeTimeoutSeconds);
    scrapesStarted[bin]! += s.count;
    if (s.timedOut) {
      timeouts += s.count;
      firstTimeoutMs = earliest(firstTimeoutMs, s.atMs + timeoutMs);
    }
    if (seconds * 1000 > timeoutMs / 2) firstOverHalfTimeoutMs = earliest(firstOverHalfTimeoutMs, s.atMs);
    if (arm.sampleLimit > 0 && expositionSamples(shape, load.symbolsAt(s.atMs / 1000)) > arm.sampleLimit) {
      firstSampleLimitMs = earliest(firstSampleLimitMs, s.atMs);
    }
    if (arm.bodySizeLimitBytes > 0 && s.bytes > arm.bodySizeLimitBytes) {
      firstBodyLimitMs = earliest(firstBodyLimitMs, s.atMs);
    }
    // Spread the body over the bins the scrape spans.
    const endMs = s.atMs + s.seconds * 1000;
    for (let b = bin; b < bins && b * BIN_MS < endMs; b++) {
      const overlap = Math.min(endMs, (b + 1) * BIN_MS) - Math.max(s.atMs, b * BIN_MS);
      bytesInFlight[b]! += (s.count * s.bytes * overlap) / Math.max(1e-9, endMs - s.atMs);
    }
  }
  // The busiest interval's bytes per second.
  const perInterval = Math.max(1, Math.round(intervalMs / BIN_MS));
  let window = 0;
  let busiest = 0;
  for (let b = 0; b < bins; b++) {
    window += demand[b]!;
    if (b >= perInterval) window -= demand[b - perInterval]!;
    busiest = Math.max(busiest, window);
  }
  const p99 = Math.min(arm.scrapeTimeoutSeconds, weightedQuantile(scrapes, 0.99) + input.tailSeconds);
  return {
    targets: load.producers,
    scrapesStarted,
    bytesInFlight,
    durationP50: weightedQuantile(scrapes, 0.5),
    durationP99: p99,
    // The tail that lifts the p99 lifts the slowest scrape at least as much.
    durationMax: Math.max(
      p99,
      scrapes.reduce((m, s) => Math.max(m, s.seconds), 0),
    ),
    scrapes: scrapes.reduce((n, s) => n + s.count, 0),
    timeouts,
    firstTimeoutMs,
    firstOverHalfTimeoutMs,
    firstSampleLimitMs,
    firstBodyLimitMs,
    bodyBytesBefore: expositionBytes(shape, load.symbolsAt(0), 0),
    bodyBytesMax: scrapes.reduce((m, s) => Math.max(m, s.bytes), 0),
    expositionBytesPerSecond: busiest / arm.scrapeIntervalSeconds,
    sampleOffsetsMs,
  };
}

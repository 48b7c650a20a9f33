/**
 * What the model says fails first: each arm's predicted failure signals (the report's signal kinds where
 * the rig measures the same thing, so a prediction and a measurement can be compared), the earliest, and
 * the verdict-style sentence `pushpull simulate` prints.
 */
import type { ArmName } from '../api/v1alpha1/schema.ts';
import type { SignalKind } from '../report/types.ts';
import type { SimulationResult } from './model.ts';
import type { Calibration } from './sizing.ts';

/** Failure kinds the model predicts: the report's, and one the rig has no signal for yet. */
export type PredictedKind =
  | Extract<
      SignalKind,
      | 'kernel-udp-drop'
      | 'scrape-timeout'
      | 'scrape-over-half-timeout'
      | 'sample-limit'
      | 'body-size-limit'
      | 'otlp-refused'
    >
  | 'otelcol-cpu-saturated';

/** One predicted failure signal. */
export interface PredictedFailure {
  arm: ArmName;
  kind: PredictedKind;
  /** Seconds since startAt. */
  atSeconds: number;
  detail: string;
}

/** The calibration parameters each kind's prediction rests on. */
const RESTS_ON: Record<PredictedKind, ReadonlyArray<keyof Omit<Calibration, 'reports'>>> = {
  'kernel-udp-drop': [
    'statsdDrainPerSecond',
    'datagramOverheadBytes',
    'senderDatagramsPerSecond',
    'senderSecondsPerByte',
  ],
  'scrape-timeout': ['scrapeBaseSeconds', 'scrapeBytesPerSecond'],
  'scrape-over-half-timeout': ['scrapeBaseSeconds', 'scrapeBytesPerSecond', 'scrapeTailSeconds'],
  'sample-limit': [],
  'body-size-limit': [],
  'otlp-refused': ['otelcolBytesPerSeries', 'otelcolBytesPerPoint'],
  'otelcol-cpu-saturated': ['otlpRequestSeconds'],
};

/** The uncalibrated parameters a predicted failure rests on. */
export function uncalibratedBasis(kind: PredictedKind, calibration: Calibration): string[] {
  return RESTS_ON[kind].filter((k) => !calibration[k].calibrated);
}

/** Kinds that lose or refuse data (the others only warn). */
const LOSES_DATA: ReadonlySet<PredictedKind> = new Set<PredictedKind>([
  'kernel-udp-drop',
  'scrape-timeout',
  'sample-limit',
  'body-size-limit',
  'otlp-refused',
]);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Every predicted failure signal, earliest first. */
export function predictedFailures(r: SimulationResult): PredictedFailure[] {
  const out: PredictedFailure[] = [];
  const add = (arm: ArmName, kind: PredictedKind, ms: number | null, detail: string) => {
    if (ms !== null) out.push({ arm, kind, atSeconds: ms / 1000, detail });
  };
  if (r.statsd) {
    add(
      'statsd',
      'kernel-udp-drop',
      r.statsd.firstDropMs,
      `${fmt(r.statsd.kernelDrops)} of ${fmt(r.statsd.sent)} datagrams dropped by the kernel (socket holds ~${fmt(r.statsd.capacityDatagrams)})`,
    );
  }
  if (r.pull) {
    const p = r.pull;
    add(
      'pull',
      'scrape-over-half-timeout',
      p.firstOverHalfTimeoutMs,
      `scrape p99 ${p.durationP99.toFixed(3)} s`,
    );
    add(
      'pull',
      'scrape-timeout',
      p.firstTimeoutMs,
      `${fmt(p.timeouts)} of ${fmt(p.scrapes)} scrapes over the timeout (up == 0)`,
    );
    add('pull', 'sample-limit', p.firstSampleLimitMs, 'a body exceeds sample_limit');
    add(
      'pull',
      'body-size-limit',
      p.firstBodyLimitMs,
      `body ${fmt(p.bodyBytesMax)} bytes exceeds body_size_limit`,
    );
  }
  if (r.otlp) {
    const o = r.otlp;
    add(
      'otlp',
      'otlp-refused',
      o.firstRefusalMs,
      `otelcol memory ${fmt(o.peakMemoryBytes / 1048576)} MiB passes the memory_limiter soft limit ${fmt(o.softLimitBytes / 1048576)} MiB`,
    );
    add(
      'otlp',
      'otelcol-cpu-saturated',
      o.firstCpuSaturationMs,
      `${fmt(o.peakRequestsPerSecond)} export requests/s`,
    );
  }
  return out.sort((a, b) => a.atSeconds - b.atSeconds);
}

/** The first predicted failure that loses or refuses data, else the first warning, else null. */
export function firstFailure(failures: readonly PredictedFailure[]): PredictedFailure | null {
  return failures.find((f) => LOSES_DATA.has(f.kind)) ?? failures[0] ?? null;
}

/** The verdict-style sentence: what fails first at this size. */
export function verdictSentence(
  r: SimulationResult,
  failures: readonly PredictedFailure[],
  calibration: Calibration,
): string {
  const first = firstFailure(failures);
  const size = `At ${fmt(r.producers)} producers per arm`;
  if (!first) return `${size} the model predicts no arm loses or delays data.`;
  const others = failures.filter((f) => f !== first && LOSES_DATA.has(f.kind) && f.arm !== first.arm);
  const then =
    others.length > 0
      ? `; then ${others.map((f) => `${f.arm} (${f.kind}, ${f.atSeconds.toFixed(1)} s)`).join(', ')}`
      : '';
  const loses = LOSES_DATA.has(first.kind) ? 'fails first' : 'is first to strain';
  const basis = uncalibratedBasis(first.kind, calibration);
  const caveat = basis.length > 0 ? ` (this rests on uncalibrated defaults: ${basis.join(', ')})` : '';
  return `${size} the model says ${first.arm} ${loses}: ${first.kind} at ${first.atSeconds.toFixed(1)} s after startAt, ${first.detail}${then}${caveat}.`;
}

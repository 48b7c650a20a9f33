/**
 * Calibration from measured reports (`pushpull simulate --calibrate report.json ...`): each rate or cost
 * the model runs on comes from what the rig measured, and says which report and how; what no report can
 * tell stays at its default, marked uncalibrated (sizing.ts).
 * - statsd_exporter's drain rate: the rate at which the model, re-running a run with kernel drops,
 *   drops what the kernel dropped (bisection); with two such runs of different datagram sizes, jointly
 *   with the per-byte send time. Runs without drops only bound it from below by the highest received
 *   rate they saw.
 * - scrape base time and bytes per second: a least-squares line through the (body size, scrape
 *   duration) pairs of the runs' charts, scrapes that reached 90% of the timeout left out; with too
 *   narrow a spread of body sizes, the bound a timed-out run gives (its body at the timeout).
 * - the scrape tail: p99 − p50 of runs without timeouts (what a busy host adds to the slowest scrapes),
 *   added to the predicted p99 only;
 * - otelcol's time per export request: the runs' median export latency, an upper bound (it includes the
 *   network and the SDK's own time).
 */
import { quantile } from './bins.ts';
import { expositionBytes, expositionShape } from './exposition-size.ts';
import { fleetLoad } from './fleet-load.ts';
import { chartPoints, type ReportRun } from './report-run.ts';
import {
  type Calibration,
  DEFAULT_SIZING,
  defaultCalibration,
  type Parameter,
  type Sizing,
} from './sizing.ts';
import { type StatsdArrivals, statsdArrivals } from './statsd-arrivals.ts';
import { udpQueue } from './udp-queue.ts';

const measured = (value: number, source: string): Parameter => ({ value, source, calibrated: true });

/** A run with kernel drops, its arrivals modelled once: only the socket's parameters vary in a fit. */
interface DropRun {
  label: string;
  measured: number;
  arrivals: StatsdArrivals;
  receiveBufferBytes: number;
  /** Mean payload of its datagrams, bytes. */
  payload: number;
}

function dropRun(run: ReportRun, measuredDrops: number, sizing: Sizing): DropRun | null {
  const arm = run.spec.arms.statsd;
  if (!arm) return null;
  const load = fleetLoad(run.spec, run.producers);
  const arrivals = statsdArrivals({
    spec: run.spec,
    arm,
    load,
    startAtMs: run.startAtMs,
    tickMs: sizing.producerTickMs,
  });
  let d = 0;
  let b = 0;
  for (let i = 0; i < arrivals.datagrams.length; i++) {
    d += arrivals.datagrams[i]!;
    b += arrivals.bytes[i]!;
  }
  return {
    label: run.label,
    measured: measuredDrops,
    arrivals,
    receiveBufferBytes: arm.receiveBufferBytes,
    payload: d > 0 ? b / d : 0,
  };
}

/** Kernel drops the model predicts for a run with drain `drain` and per-byte send time `perByte`. */
function drops(r: DropRun, cal: Calibration, sizing: Sizing, drain: number, perByte: number): number {
  const q = udpQueue({
    datagrams: r.arrivals.datagrams,
    bytes: r.arrivals.bytes,
    senders: r.arrivals.senders,
    receiveBufferBytes: r.receiveBufferBytes,
    rmemMaxBytes: sizing.rmemMaxBytes,
    overheadBytes: cal.datagramOverheadBytes.value,
    drainPerSecond: drain,
    senderDatagramsPerSecond: cal.senderDatagramsPerSecond.value,
    senderSecondsPerByte: perByte,
  });
  let n = 0;
  for (let i = 0; i < q.drops.length; i++) n += q.drops[i]!;
  return n;
}

/** Bisection on a log scale for the x in [lo, hi] where `tooLow(x)` turns false. */
function logBisect(lo: number, hi: number, tooLow: (x: number) => boolean): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 40; i++) {
    const mid = Math.sqrt(a * b);
    if (tooLow(mid)) a = mid;
    else b = mid;
  }
  return Math.sqrt(a * b);
}

/** The drain at which the model drops what `r` dropped, given the per-byte send time. More drain, fewer drops. */
function fitDrain(r: DropRun, cal: Calibration, sizing: Sizing, perByte: number): number {
  return logBisect(100, 10_000_000, (d) => drops(r, cal, sizing, d, perByte) > r.measured);
}

/**
 * The socket's rates: with two runs with kernel drops whose datagrams differ in size (at least 2×), the
 * drain and the per-byte send time fitted jointly (the drain to the small-datagram run, the per-byte time
 * so that the big-datagram run drops what it dropped); with one, the drain alone; with none, a lower bound.
 */
function calibrateSocket(runs: readonly ReportRun[], cal: Calibration, sizing: Sizing): void {
  const withDrops: DropRun[] = [];
  let bound = 0;
  let boundFrom = '';
  for (const run of runs) {
    const books = run.report.arms.statsd?.books;
    if (!books) continue;
    const measuredDrops = books.kernelDrops.value;
    if (measuredDrops !== null && measuredDrops > 0) {
      const r = dropRun(run, measuredDrops, sizing);
      if (r) withDrops.push(r);
    }
    for (const [, v] of chartPoints(run.report, 'statsd-received-rate', 'statsd')) {
      if (v > bound) {
        bound = v;
        boundFrom = run.label;
      }
    }
  }
  withDrops.sort((a, b) => a.payload - b.payload);
  const small = withDrops[0];
  const big = withDrops[withDrops.length - 1];
  if (small && big && big.payload >= 2 * small.payload) {
    // More per-byte time, slower big sends, more drained while they land: fewer drops in the big run.
    const perByte = logBisect(
      1e-13,
      1e-5,
      (x) => drops(big, cal, sizing, fitDrain(small, cal, sizing, x), x) > big.measured,
    );
    const drain = fitDrain(small, cal, sizing, perByte);
    const both = `the kernel drops of ${small.label} (${Math.round(small.payload)} B datagrams) and ${big.label} (${Math.round(big.payload)} B)`;
    cal.statsdDrainPerSecond = measured(drain, `fitted jointly with the per-byte send time to ${both}`);
    cal.senderSecondsPerByte = measured(perByte, `fitted jointly with the drain to ${both}`);
    return;
  }
  if (withDrops.length > 0) {
    const fits = withDrops.map((r) => ({
      label: r.label,
      value: fitDrain(r, cal, sizing, cal.senderSecondsPerByte.value),
    }));
    const value = quantile(
      fits.map((f) => f.value),
      0.5,
    );
    cal.statsdDrainPerSecond = measured(
      value,
      `fitted to the kernel drops of ${fits.map((f) => `${f.label} (${Math.round(f.value)}/s)`).join(', ')}; median`,
    );
    return;
  }
  if (bound > 0) {
    cal.statsdDrainPerSecond = measured(
      bound,
      `lower bound: the highest received rate in ${boundFrom}, which dropped nothing`,
    );
  }
}

function calibrateScrapes(runs: readonly ReportRun[]): { base: Parameter; rate: Parameter } | null {
  const pairs: Array<[number, number]> = [];
  let bound = Number.POSITIVE_INFINITY;
  let boundFrom = '';
  const used: string[] = [];
  for (const run of runs) {
    const pull = run.spec.arms.pull;
    if (!run.report.arms.pull || !pull) continue;
    const durations = new Map(chartPoints(run.report, 'scrape-duration-max', 'pull'));
    const load = fleetLoad(run.spec, run.producers);
    const shape = expositionShape(run.spec.series);
    let any = false;
    for (const [t, bytes] of chartPoints(run.report, 'body-size-max', 'pull')) {
      const d = durations.get(t);
      if (d === undefined) continue;
      if (d >= 0.9 * pull.scrapeTimeoutSeconds) {
        // A timed-out scrape reports no body: the model's body at that time bounds the rate.
        const ms = Math.min(load.totalMs, Math.max(0, Math.round(t * 1000)));
        const body = expositionBytes(shape, load.symbolsAt(t), load.cumulative[ms]! / load.producers);
        if (body / pull.scrapeTimeoutSeconds < bound) {
          bound = body / pull.scrapeTimeoutSeconds;
          boundFrom = run.label;
        }
      } else if (bytes > 0) {
        pairs.push([bytes, d]);
        any = true;
      }
    }
    if (any) used.push(run.label);
  }
  if (pairs.length === 0) return null;
  const n = pairs.length;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = pairs.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = pairs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const xs = pairs.map(([x]) => x);
  const spread = Math.max(...xs) / Math.max(1, Math.min(...xs));
  const slope = sxx > 0 ? sxy / sxx : 0;
  const from = `${n} (body, duration) pairs of ${used.join(', ')}`;
  if (spread >= 2 && slope > 0) {
    return {
      base: measured(Math.max(0, my - slope * mx), `intercept of a least-squares line through ${from}`),
      rate: measured(1 / slope, `inverse slope of a least-squares line through ${from}`),
    };
  }
  const base = measured(
    quantile(
      pairs.map(([, y]) => y),
      0.5,
    ),
    `median duration of ${from}`,
  );
  if (Number.isFinite(bound)) {
    return {
      base,
      rate: measured(
        bound,
        `upper bound: the modelled body of ${boundFrom}'s timed-out scrapes over its timeout`,
      ),
    };
  }
  return { base, rate: defaultCalibration().scrapeBytesPerSecond };
}

/** p99 − p50 of the scrape durations of runs whose scrapes did not time out; the median over runs. */
function calibrateTail(runs: readonly ReportRun[]): Parameter | null {
  const tails: Array<{ label: string; value: number }> = [];
  for (const run of runs) {
    const pull = run.report.arms.pull;
    const { p50, p99 } = pull?.scrapeDurationSeconds ?? {};
    if (pull?.scrapesOverTimeout.value !== 0 || p50?.value == null || p99?.value == null) continue;
    tails.push({ label: run.label, value: Math.max(0, p99.value - p50.value) });
  }
  if (tails.length === 0) return null;
  return measured(
    quantile(
      tails.map((t) => t.value),
      0.5,
    ),
    `median p99 − p50 of the scrape durations of ${tails.map((t) => t.label).join(', ')}`,
  );
}

function calibrateOtlp(runs: readonly ReportRun[]): Parameter | null {
  const values: Array<{ label: string; value: number }> = [];
  for (const run of runs) {
    const p50 = run.report.arms.otlp?.exportLatencySeconds.p50.value;
    if (p50 !== null && p50 !== undefined && p50 > 0) values.push({ label: run.label, value: p50 });
  }
  if (values.length === 0) return null;
  return measured(
    quantile(
      values.map((v) => v.value),
      0.5,
    ),
    `upper bound: median OTLP export latency p50 of ${values.map((v) => v.label).join(', ')}`,
  );
}

/** A calibration from measured runs; parameters no run informs keep their defaults. */
export function calibrate(runs: readonly ReportRun[], sizing: Sizing = DEFAULT_SIZING): Calibration {
  const cal = defaultCalibration();
  cal.reports = runs.map((r) => r.label);
  const scrapes = calibrateScrapes(runs);
  if (scrapes) {
    cal.scrapeBaseSeconds = scrapes.base;
    cal.scrapeBytesPerSecond = scrapes.rate;
  }
  const tail = calibrateTail(runs);
  if (tail) cal.scrapeTailSeconds = tail;
  const otlp = calibrateOtlp(runs);
  if (otlp) cal.otlpRequestSeconds = otlp;
  calibrateSocket(runs, cal, sizing);
  return cal;
}

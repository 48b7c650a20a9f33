/**
 * Turns a MeasurementInput (raw samples, ledgers, counters) into report.json: per-arm figures, the
 * books of each push arm, the failure timeline, the charts and the verdict. Pure and deterministic;
 * both runtimes call it after their own collect step. Every figure names its source; a reading the
 * collect step could not get stays null with the reason.
 */

import type { ArmName } from '../api/v1alpha1/schema.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import { SLOT_MS } from '../loadgen/send-slots.ts';
import { evaluateExpectations } from '../report/expectations.ts';
import type {
  ChartSeries,
  FailureSignal,
  Figure,
  OtlpArmResult,
  PhaseWindow,
  PullArmResult,
  Report,
  RigHealth,
  SignalKind,
  StatsdArmResult,
} from '../report/types.ts';
import { REPORT_SCHEMA_VERSION } from '../report/types.ts';
import { decideVerdict } from '../report/verdict.ts';
import { closeBooks, lossRatio } from './books.ts';
import { assembleCollectorResources } from './collector-resources.ts';
import { computeHeadroom, udpReceiveBuffer } from './headroom.ts';
import { histogramQuantileBound } from './histogram-quantile.ts';
import type { LedgerPoint, MeasurementInput, RawOtlp, RawPull, RawStatsd, Reading } from './inputs.ts';
import { EXPORT_LATENCY_SOURCE, EXPORT_RETRIES_SOURCE, SENT_SLOTS_SOURCE } from './ledger-books.ts';
import { assembleLiveness } from './liveness.ts';
import { machineLoad } from './machine-load.ts';
import { assembleNetwork, statsdNetworkDrops } from './network.ts';
import { closeOtlpBooks } from './otlp-books.ts';
import type { PromSeries } from './prom-api.ts';
import { assembleJobs, jobsSent } from './short-lived-jobs.ts';
import {
  bucketize,
  counterIncrease,
  counterRate,
  countWhere,
  firstIncrease,
  firstWhere,
  maxOf,
  quantile,
  type Sample,
  within,
} from './stats.ts';

type Unit = Figure['unit'];

function figure(value: number | null, unit: Unit, source: string, missing?: string): Figure {
  return value === null ? { value, unit, source, missing: missing ?? 'no data' } : { value, unit, source };
}

function fromReading(r: Reading<number>, unit: Unit): Figure {
  return r.value === null ? figure(null, unit, r.source, r.missing) : figure(r.value, unit, r.source);
}

/**
 * after − before of two counter readings. The baseline is read before any producer starts (the
 * ledgers count from each producer's start), so both sides of the books cover the same window.
 */
function delta(before: Reading<number>, after: Reading<number>, unit: Unit): Figure {
  const source = `${after.source} (cut-off − baseline)`;
  if (after.value === null) return figure(null, unit, source, after.missing);
  if (before.value === null) return figure(null, unit, source, before.missing);
  return figure(after.value - before.value, unit, source);
}

function ledgerFigure(total: LedgerTotals | null | undefined, field: keyof LedgerTotals, unit: Unit): Figure {
  const source = `producer ledgers: sum of ${field} (final)`;
  return total
    ? figure(total[field], unit, source)
    : figure(null, unit, source, 'a producer of the arm left no final ledger (run.missing names it)');
}

/**
 * A push arm's collector also received what the short-lived jobs of its path sent: the books add the
 * jobs' ledgers to the producers', so `sent = received + drops` still closes.
 */
function withJobs(f: Figure, input: MeasurementInput, path: 'statsd' | 'otlp'): Figure {
  if (!input.spec.jobs?.some((b) => b.path === path) || !input.jobs || f.value === null) return f;
  const field = path === 'statsd' ? 'datagramsSent' : 'pointsExported';
  return {
    ...f,
    value: f.value + jobsSent(input.jobs.ledgers, path),
    source: `${f.source} + job ledgers: sum of ${field}`,
  };
}

const sec = (iso: string) => Date.parse(iso) / 1000;

/** The phase in force at unix second t, by the phase windows. */
function phaseAt(phases: readonly PhaseWindow[], t: number): string | null {
  for (const p of phases) if (t >= sec(p.startAt) && t < sec(p.endAt)) return p.name;
  return null;
}

/** The burst: the phase with the highest rate (the first one on a tie). */
function burstPhase(phases: readonly PhaseWindow[]): PhaseWindow | null {
  let best: PhaseWindow | null = null;
  for (const p of phases) if (!best || p.eventsPerSecond > best.eventsPerSecond) best = p;
  return best;
}

interface Ctx {
  input: MeasurementInput;
  loadStart: number | null;
  cutoff: number;
  signals: FailureSignal[];
  charts: ChartSeries[];
}

function signal(
  ctx: Ctx,
  arm: FailureSignal['arm'],
  kind: SignalKind,
  at: number | null,
  detail: string,
  source: string,
  visibleToOperator: boolean,
): void {
  if (at === null) return;
  ctx.signals.push({
    arm,
    kind,
    at: new Date(at * 1000).toISOString(),
    offsetSeconds: ctx.loadStart === null ? 0 : Math.round((at - ctx.loadStart) * 1000) / 1000,
    phase: phaseAt(ctx.input.phases, at),
    detail,
    source,
    visibleToOperator,
  });
}

function chart(
  ctx: Ctx,
  id: string,
  arm: ChartSeries['arm'],
  label: string,
  unit: Unit,
  source: string,
  points: Array<[number, number]>,
): void {
  ctx.charts.push({ id, arm, label, unit, source, points });
}

const origin = (ctx: Ctx) => ctx.loadStart ?? ctx.cutoff;
const samplesOf = (series: PromSeries[]) => series.map((s) => s.samples);

function assemblePull(ctx: Ctx, raw: RawPull): PullArmResult {
  const pull = ctx.input.spec.arms.pull!;
  const timeout = pull.scrapeTimeoutSeconds;
  const from = ctx.loadStart ?? Number.NEGATIVE_INFINITY;
  const inLoad = (r: Reading<PromSeries[]>) =>
    r.value === null ? null : r.value.map((s) => within(s.samples, from, ctx.cutoff));
  const durations = inLoad(raw.scrapeDuration);
  const ups = inLoad(raw.up);
  const bodies = inLoad(raw.bodySize);
  const samplesScraped = inLoad(raw.samplesScraped);
  const missingOf = (r: Reading<unknown>) => ('missing' in r ? r.missing : undefined);
  const durSrc = `${raw.scrapeDuration.source} during the load`;
  const allDur = durations?.flat().map(([, v]) => v) ?? [];
  const q = (p: number) =>
    durations === null
      ? figure(null, 'seconds', durSrc, missingOf(raw.scrapeDuration))
      : figure(quantile(allDur, p), 'seconds', durSrc, 'no scrape in the load window');

  const burst = burstPhase(ctx.input.phases);
  const burstStart = burst ? sec(burst.startAt) : ctx.cutoff;
  const bodyAll = bodies?.flat() ?? [];
  const bodySrc = `${raw.bodySize.source}`;
  const bodyFig = (pred: (t: number) => boolean, what: string) =>
    bodies === null
      ? figure(null, 'bytes', bodySrc, missingOf(raw.bodySize))
      : figure(
          maxOf(bodyAll.filter(([t]) => pred(t)).map(([, v]) => v)),
          'bytes',
          `max ${bodySrc} ${what}`,
          `no scrape ${what}`,
        );

  const counterFig = (r: Reading<Sample[]>, unit: Unit) =>
    r.value === null
      ? figure(null, unit, r.source, r.missing)
      : figure(
          counterIncrease(within(r.value, from, ctx.cutoff)),
          unit,
          `increase of ${r.source} during the load`,
        );

  // Timeline signals (any time in the recorded window, warm-up included).
  const allDurSeries = raw.scrapeDuration.value === null ? [] : samplesOf(raw.scrapeDuration.value);
  const allUpSeries = raw.up.value === null ? [] : samplesOf(raw.up.value);
  signal(
    ctx,
    'pull',
    'scrape-over-half-timeout',
    firstWhere(allDurSeries, (v) => v > timeout / 2),
    `a scrape took more than half the ${timeout}s timeout`,
    raw.scrapeDuration.source,
    true,
  );
  signal(
    ctx,
    'pull',
    'scrape-timeout',
    firstWhere(allDurSeries, (v) => v >= timeout),
    `a scrape reached the ${timeout}s timeout`,
    raw.scrapeDuration.source,
    true,
  );
  signal(
    ctx,
    'pull',
    'target-down',
    firstWhere(allUpSeries, (v) => v === 0),
    'a target scrape failed (up == 0)',
    raw.up.source,
    true,
  );
  if (raw.sampleLimitExceeded.value !== null) {
    signal(
      ctx,
      'pull',
      'sample-limit',
      firstIncrease(raw.sampleLimitExceeded.value),
      `a scrape exceeded sample_limit ${pull.sampleLimit}`,
      raw.sampleLimitExceeded.source,
      true,
    );
  }
  if (raw.bodySizeLimitExceeded.value !== null) {
    signal(
      ctx,
      'pull',
      'body-size-limit',
      firstIncrease(raw.bodySizeLimitExceeded.value),
      `a scrape exceeded body_size_limit ${pull.bodySizeLimitBytes}B`,
      raw.bodySizeLimitExceeded.source,
      true,
    );
  }

  // Charts: one bucket per scrape interval.
  const step = pull.scrapeIntervalSeconds;
  if (durations) {
    for (const [id, p] of [
      ['scrape-duration-p50', 0.5],
      ['scrape-duration-p99', 0.99],
      ['scrape-duration-max', 1],
    ] as const) {
      chart(
        ctx,
        id,
        'pull',
        id.replace('scrape-duration-', 'scrape duration '),
        'seconds',
        raw.scrapeDuration.source,
        bucketize(durations, origin(ctx), step, (v) => quantile(v, p)),
      );
    }
  }
  if (ups) {
    chart(
      ctx,
      'targets-down',
      'pull',
      'targets down',
      'count',
      raw.up.source,
      bucketize(ups, origin(ctx), step, (v) => v.filter((x) => x === 0).length),
    );
  }
  if (bodies) {
    chart(
      ctx,
      'body-size-max',
      'pull',
      'body size max',
      'bytes',
      bodySrc,
      bucketize(bodies, origin(ctx), step, maxOf),
    );
    chart(
      ctx,
      'body-size-p50',
      'pull',
      'body size p50',
      'bytes',
      bodySrc,
      bucketize(bodies, origin(ctx), step, (v) => quantile(v, 0.5)),
    );
  }

  const perPhase = ctx.input.phases.map((p) => {
    const a = sec(p.startAt);
    const b = sec(p.endAt);
    const d = durations?.map((s) => within(s, a, b)) ?? null;
    const u = ups?.map((s) => within(s, a, b)) ?? null;
    return {
      phase: p.name,
      scrapeDurationP99:
        d === null
          ? figure(null, 'seconds', durSrc, missingOf(raw.scrapeDuration))
          : figure(
              quantile(
                d.flat().map(([, v]) => v),
                0.99,
              ),
              'seconds',
              `${raw.scrapeDuration.source} in phase ${p.name}`,
              'no scrape in the phase',
            ),
      upZeroSamples:
        u === null
          ? figure(null, 'count', raw.up.source, missingOf(raw.up))
          : figure(
              countWhere(u, (v) => v === 0),
              'count',
              `${raw.up.source} == 0 in phase ${p.name}`,
            ),
    };
  });

  return {
    targets: raw.targets,
    scrapeDurationSeconds: { p50: q(0.5), p99: q(0.99), max: q(1) },
    scrapesOverHalfTimeout:
      durations === null
        ? figure(null, 'count', durSrc, missingOf(raw.scrapeDuration))
        : figure(
            countWhere(durations, (v) => v > timeout / 2),
            'count',
            `${durSrc} > ${timeout / 2}s`,
          ),
    scrapesOverTimeout:
      durations === null
        ? figure(null, 'count', durSrc, missingOf(raw.scrapeDuration))
        : figure(
            countWhere(durations, (v) => v >= timeout),
            'count',
            `${durSrc} >= ${timeout}s`,
          ),
    upZeroSamples:
      ups === null
        ? figure(null, 'count', raw.up.source, missingOf(raw.up))
        : figure(
            countWhere(ups, (v) => v === 0),
            'count',
            `${raw.up.source} == 0 during the load`,
          ),
    samplesScraped:
      samplesScraped === null
        ? figure(null, 'samples', raw.samplesScraped.source, missingOf(raw.samplesScraped))
        : figure(
            maxOf(samplesScraped.flat().map(([, v]) => v)),
            'samples',
            `max ${raw.samplesScraped.source} per scrape`,
            'no scrape',
          ),
    bodySizeBytes: {
      before: bodyFig((t) => t < burstStart, `before phase ${burst?.name ?? '?'}`),
      during: bodyFig((t) => t >= burstStart, `from phase ${burst?.name ?? '?'} on`),
      max: bodyFig(() => true, 'during the load'),
    },
    sampleLimitBreaches: counterFig(raw.sampleLimitExceeded, 'count'),
    bodySizeLimitBreaches: counterFig(raw.bodySizeLimitExceeded, 'count'),
    eventsGenerated: ledgerFigure(ctx.input.ledgerFinal.pull, 'eventsGenerated', 'events'),
    eventsSeen: fromReading(raw.ordersSeen, 'events'),
    perPhase,
  };
}

/** Value of a cumulative ledger field at unix second t (the last poll at or before t). */
function ledgerAt(series: readonly LedgerPoint[], t: number, field: keyof LedgerTotals): number | null {
  let value: number | null = null;
  for (const [pt, totals] of series) {
    if (pt > t) break;
    value = totals[field];
  }
  return value;
}

function ledgerSamples(series: readonly LedgerPoint[], field: keyof LedgerTotals): Sample[] {
  return series.map(([t, totals]) => [t, totals[field]]);
}

function seriesCounterAt(samples: readonly Sample[], t: number): number | null {
  let value: number | null = null;
  for (const [st, v] of samples) {
    if (st > t) break;
    value = v;
  }
  return value;
}

/**
 * Kernel drops at the collector: its socket's drop counter (exact even when other sockets share the
 * network namespace), with the namespace's Udp RcvbufErrors/InErrors deltas named beside it as a
 * cross-check. Without the socket counter, InErrors (which includes RcvbufErrors) stands in.
 */
function kernelDrops(raw: RawStatsd): Figure {
  const base = "the collector's kernel UDP counters (cut-off − baseline)";
  if (raw.kernelAfter.value === null) return figure(null, 'datagrams', base, raw.kernelAfter.missing);
  if (raw.kernelBefore.value === null) return figure(null, 'datagrams', base, raw.kernelBefore.missing);
  const a = raw.kernelAfter.value;
  const b = raw.kernelBefore.value;
  const nsWide = `namespace Udp RcvbufErrors +${a.rcvbufErrors - b.rcvbufErrors}, InErrors +${a.inErrors - b.inErrors}`;
  if (a.socketDrops !== null && b.socketDrops !== null) {
    return figure(
      a.socketDrops - b.socketDrops,
      'datagrams',
      `/proc/net/udp drops of the collector's socket (cut-off − baseline; ${nsWide})`,
    );
  }
  return figure(
    a.inErrors - b.inErrors,
    'datagrams',
    `/proc/net/snmp Udp InErrors of the collector's network namespace (cut-off − baseline; socket counter not found)`,
  );
}

/** Charts of more slots than this show the max of each group of slots instead (an SVG stays light). */
const MAX_SLOT_POINTS = 3000;

/**
 * The busiest wall-clock 100 ms of sending over the fleet, from the producers' send slots, and its
 * chart. The slots are the sender's side: a flush of every producer at once is one tall slot, whatever
 * the collector then managed to receive. When the slots hold fewer datagrams than the ledgers say were
 * sent (a ring let old slots go before they were read, or a producer left no final ledger) the source
 * says so: the peak is then over the slots that were read.
 */
function sentPeak(ctx: Ctx, final: LedgerTotals | null | undefined): Figure {
  const r = ctx.input.ledgerBooks.statsdSentPer100ms;
  if (!r) return figure(null, 'per100ms', SENT_SLOTS_SOURCE, 'the runtime read no send slots');
  if (r.value === null) return figure(null, 'per100ms', r.source, r.missing);
  const startOf = (slot: number) => (slot * SLOT_MS) / 1000;
  const from = ctx.loadStart ?? Number.NEGATIVE_INFINITY;
  const inWindow = r.value.filter(([slot]) => startOf(slot + 1) > from && startOf(slot) <= ctx.cutoff);
  const covered = r.value.reduce((n, [, c]) => n + c, 0);
  let source = r.source;
  if (!final) {
    source +=
      " (a producer's ledger could not be read, run.missing names it: its slots after its last read are missing)";
  } else if (covered < final.datagramsSent) {
    source += ` (the slots hold ${covered} of the ${final.datagramsSent} datagrams sent: the rest fell out of the producers' slot rings before they were read)`;
  }
  if (inWindow.length === 0) return figure(null, 'per100ms', source, 'no datagram was sent during the load');

  // Empty slots are not in the ledgers; the chart needs them as zeros, or a line joins two flushes.
  const first = inWindow[0]![0];
  const last = inWindow[inWindow.length - 1]![0];
  const group = Math.max(1, Math.ceil((last - first + 1) / MAX_SLOT_POINTS));
  const counts = new Map(inWindow);
  const o = origin(ctx);
  const points: Array<[number, number]> = [];
  for (let g = first; g <= last; g += group) {
    let max = 0;
    for (let s = g; s < g + group && s <= last; s++) max = Math.max(max, counts.get(s) ?? 0);
    points.push([round3(startOf(g) - o), max]);
  }
  chart(
    ctx,
    'statsd-sent-per-100ms',
    'statsd',
    group === 1
      ? 'datagrams sent per 100 ms (fleet)'
      : `datagrams sent per 100 ms (fleet; max of each ${round3((group * SLOT_MS) / 1000)} s)`,
    'datagrams',
    r.source,
    points,
  );
  return figure(
    inWindow.reduce((m, [, c]) => Math.max(m, c), 0),
    'per100ms',
    source,
  );
}

function assembleStatsd(ctx: Ctx, raw: RawStatsd): StatsdArmResult {
  const final = ctx.input.ledgerFinal.statsd;
  const networkDrops = statsdNetworkDrops(ctx.input.network);
  const books = closeBooks({
    sent: withJobs(ledgerFigure(final, 'datagramsSent', 'datagrams'), ctx.input, 'statsd'),
    received: delta(raw.receivedBefore, raw.receivedAfter, 'datagrams'),
    kernelDrops: kernelDrops(raw),
    collectorQueueDrops: delta(raw.queueDropsBefore, raw.queueDropsAfter, 'datagrams'),
    ...(networkDrops ? { networkDrops } : {}),
  });

  // A game day's loss on the path: dated when its rule went on, seen by nobody but the rule.
  for (const f of ctx.input.network?.faults ?? []) {
    const lost = f.droppedToCollector.value;
    if (f.fault.arm !== 'statsd' || f.startedMs === null || !lost) continue;
    signal(
      ctx,
      'statsd',
      'network-drop',
      f.startedMs / 1000,
      `${lost} datagrams lost on the network path (network fault ${f.index}, ${f.fault.kind})`,
      f.droppedToCollector.source,
      false,
    );
  }

  const series = ctx.input.ledgerSeries.statsd ?? [];
  const o = origin(ctx);
  chart(
    ctx,
    'statsd-sent-rate',
    'statsd',
    'datagrams sent/s',
    'datagrams',
    'producer ledgers: datagramsSent',
    counterRate(ledgerSamples(series, 'datagramsSent'), o),
  );
  if (raw.receivedSeries.value) {
    chart(
      ctx,
      'statsd-received-rate',
      'statsd',
      'datagrams received/s',
      'datagrams',
      raw.receivedSeries.source,
      counterRate(raw.receivedSeries.value, o),
    );
  }
  if (raw.kernelDropsSeries.value) {
    const base = raw.kernelDropsSeries.value[0]?.[1] ?? 0;
    chart(
      ctx,
      'kernel-drops',
      'statsd',
      'kernel UDP drops (cumulative)',
      'datagrams',
      raw.kernelDropsSeries.source,
      raw.kernelDropsSeries.value.map(([t, v]) => [round3(t - o), v - base]),
    );
    signal(
      ctx,
      'statsd',
      'kernel-udp-drop',
      firstIncrease(raw.kernelDropsSeries.value),
      'the kernel dropped datagrams at the collector socket',
      raw.kernelDropsSeries.source,
      false,
    );
  }
  if (raw.queueDropsSeries.value) {
    const base = raw.queueDropsSeries.value[0]?.[1] ?? 0;
    chart(
      ctx,
      'collector-queue-drops',
      'statsd',
      'statsd_exporter queue drops (cumulative)',
      'datagrams',
      raw.queueDropsSeries.source,
      raw.queueDropsSeries.value.map(([t, v]) => [round3(t - o), v - base]),
    );
    signal(
      ctx,
      'statsd',
      'collector-queue-drop',
      firstIncrease(raw.queueDropsSeries.value),
      "statsd_exporter's packet queue dropped datagrams",
      raw.queueDropsSeries.source,
      false,
    );
  }

  const peak = sentPeak(ctx, final);

  const perPhase = ctx.input.phases.map((p) => {
    const a = sec(p.startAt);
    const b = sec(p.endAt);
    const s0 = ledgerAt(series, a, 'datagramsSent');
    const s1 = ledgerAt(series, b, 'datagramsSent');
    const k = raw.kernelDropsSeries.value;
    const k0 = k ? seriesCounterAt(k, a) : null;
    const k1 = k ? seriesCounterAt(k, b) : null;
    return {
      phase: p.name,
      sent: figure(
        s1 === null ? null : s1 - (s0 ?? 0),
        'datagrams',
        `producer ledger polls: datagramsSent in phase ${p.name}`,
        'no ledger poll in the phase',
      ),
      kernelDrops: figure(
        k1 === null ? null : k1 - (k0 ?? k1),
        'datagrams',
        `${raw.kernelDropsSeries.source} in phase ${p.name}`,
        raw.kernelDropsSeries.value === null
          ? raw.kernelDropsSeries.missing
          : 'no kernel counter sample in the phase',
      ),
    };
  });

  return {
    mode: raw.mode,
    books,
    lossRatio: lossRatio(books),
    peakDatagramsPer100ms: peak,
    eventsGenerated: ledgerFigure(final, 'eventsGenerated', 'events'),
    perPhase,
  };
}

/** Export latency at quantile q from the merged histogram: the upper bound of the bucket holding it. */
function exportLatency(ctx: Ctx, q: number, name: string): Figure {
  const r = ctx.input.ledgerBooks.otlpExportLatency;
  if (!r) return figure(null, 'seconds', EXPORT_LATENCY_SOURCE, 'the runtime read no export timings');
  if (r.value === null) return figure(null, 'seconds', r.source, r.missing);
  const h = r.value;
  const source = `upper bound of the log-scale bucket holding the ${name}, from ${h.count} timed exports (${r.source})`;
  const bound = histogramQuantileBound(h, q);
  if (bound === null) {
    return figure(null, 'seconds', source, 'no export was timed (exportsOk + exportsFailed = 0)');
  }
  if (bound === Number.POSITIVE_INFINITY) {
    const top = h.boundsSeconds[h.boundsSeconds.length - 1];
    return figure(null, 'seconds', source, `the ${name} lies above ${top} s, the histogram's largest bound`);
  }
  return figure(bound, 'seconds', source);
}

function exportRetries(ctx: Ctx, protocol: string): Figure {
  const r = ctx.input.ledgerBooks.otlpExportRetries;
  if (!r) return figure(null, 'count', EXPORT_RETRIES_SOURCE, 'the runtime read no retry counts');
  if (r.value === null) return figure(null, 'count', r.source, r.missing);
  // Over gRPC a 0 is by construction, and the reader should know it.
  const why =
    protocol === 'grpc'
      ? '; the gRPC exporter has no retrying transport (@opentelemetry/otlp-grpc-exporter-base otlp-grpc-export-delegate.js), so a failed attempt is a failed export'
      : '';
  return figure(r.value, 'count', `${r.source}${why}`);
}

function assembleOtlp(ctx: Ctx, raw: RawOtlp): OtlpArmResult {
  const final = ctx.input.ledgerFinal.otlp;
  const series = ctx.input.ledgerSeries.otlp ?? [];
  const o = origin(ctx);
  chart(
    ctx,
    'otlp-points-rate',
    'otlp',
    'points exported/s',
    'points',
    'producer ledgers: pointsExported',
    counterRate(ledgerSamples(series, 'pointsExported'), o),
  );
  if (raw.acceptedSeries.value) {
    chart(
      ctx,
      'otlp-accepted-rate',
      'otlp',
      'points accepted/s',
      'points',
      raw.acceptedSeries.source,
      counterRate(raw.acceptedSeries.value, o),
    );
  }
  if (raw.refusedSeries.value) {
    const base = raw.refusedSeries.value[0]?.[1] ?? 0;
    chart(
      ctx,
      'otlp-refused',
      'otlp',
      'points refused (cumulative)',
      'points',
      raw.refusedSeries.source,
      raw.refusedSeries.value.map(([t, v]) => [round3(t - o), v - base]),
    );
    signal(
      ctx,
      'otlp',
      'otlp-refused',
      firstIncrease(raw.refusedSeries.value),
      'the collector refused points',
      raw.refusedSeries.source,
      true,
    );
  }
  const failedSamples = ledgerSamples(series, 'exportsFailed');
  chart(
    ctx,
    'otlp-failed',
    'otlp',
    'failed exports (cumulative)',
    'count',
    'producer ledgers: exportsFailed',
    failedSamples.map(([t, v]) => [round3(t - o), v]),
  );
  signal(
    ctx,
    'otlp',
    'otlp-export-failed',
    firstIncrease([[0, 0], ...failedSamples]),
    'an OTLP export failed at the producer',
    'producer ledgers: exportsFailed',
    true,
  );

  const pointsAccepted = delta(raw.acceptedBefore, raw.acceptedAfter, 'points');
  const pointsRefused = delta(raw.refusedBefore, raw.refusedAfter, 'points');
  const pointsFailed = delta(raw.failedBefore, raw.failedAfter, 'points');
  return {
    protocol: raw.protocol,
    pointsExported: withJobs(ledgerFigure(final, 'pointsExported', 'points'), ctx.input, 'otlp'),
    pointsAccepted,
    pointsRefused,
    pointsFailed,
    exportsOk: ledgerFigure(final, 'exportsOk', 'count'),
    exportsFailed: ledgerFigure(final, 'exportsFailed', 'count'),
    exportLatencySeconds: {
      p50: exportLatency(ctx, 0.5, 'p50'),
      p99: exportLatency(ctx, 0.99, 'p99'),
    },
    retries: exportRetries(ctx, raw.protocol),
    books: closeOtlpBooks({
      attempts: ctx.input.ledgerBooks.otlpExportAttempts,
      accepted: pointsAccepted,
      refused: pointsRefused,
      failed: pointsFailed,
      ...(ctx.input.spec.jobs?.some((b) => b.path === 'otlp') && ctx.input.jobs
        ? { jobsPointsExported: jobsSent(ctx.input.jobs.ledgers, 'otlp') }
        : {}),
    }),
    eventsGenerated: ledgerFigure(final, 'eventsGenerated', 'events'),
  };
}

function assembleRig(ctx: Ctx): RigHealth {
  const o = origin(ctx);
  let lagMax: number | null = null;
  let rigLimited = false;
  for (const arm of Object.keys(ctx.input.ledgerSeries) as ArmName[]) {
    const series = ctx.input.ledgerSeries[arm] ?? [];
    chart(
      ctx,
      'events-rate',
      arm,
      `${arm} events/s`,
      'events',
      `producer ledgers (${arm}): eventsGenerated`,
      counterRate(ledgerSamples(series, 'eventsGenerated'), o),
    );
    chart(
      ctx,
      'schedule-lag',
      arm,
      `${arm} schedule lag`,
      'events',
      `producer ledgers (${arm}): scheduleLagNowEvents`,
      series.map(([t, l]) => [round3(t - o), l.scheduleLagNowEvents]),
    );
    const limitedAt = series.find(([, l]) => l.rigLimitedProducers > 0)?.[0] ?? null;
    if (limitedAt !== null) rigLimited = true;
    signal(
      ctx,
      arm,
      'rig-limited',
      limitedAt,
      `${arm} producers could not generate the asked rate`,
      `producer ledgers (${arm}): rigLimitedProducers`,
      false,
    );
    const final = ctx.input.ledgerFinal[arm];
    if (final) {
      lagMax = Math.max(lagMax ?? 0, final.scheduleLagMaxEvents);
      if (final.rigLimitedProducers > 0) rigLimited = true;
    }
  }
  for (const d of ctx.input.producersDied) {
    signal(
      ctx,
      d.arm,
      'producer-died',
      sec(d.at),
      `${d.arm} producer process ${d.process} died: ${d.detail}`,
      'the runtime',
      false,
    );
  }
  const machine = ctx.input.machineSamples ? machineLoad(ctx.input.machineSamples, ctx.input.phases) : null;
  const cores = ctx.input.machine.cpus;
  const producersCpu = ctx.input.producerCpu?.map((p) => {
    const cpuSeconds = figure(p.cpuSeconds, 'seconds', p.source, p.missing);
    const share =
      p.cpuSeconds === null || !(p.windowSeconds > 0) || !(cores > 0)
        ? figure(null, 'ratio', `${p.source} / (window × cores)`, p.missing ?? 'no window')
        : figure(
            p.cpuSeconds / (p.windowSeconds * cores),
            'ratio',
            `${p.source} / (${Math.round(p.windowSeconds)} s × ${cores} cores)`,
          );
    return { arm: p.arm, cpuSeconds, shareOfMachine: share };
  });
  return {
    ...(machine ? { machine } : {}),
    ...(producersCpu ? { producersCpu } : {}),
    scheduleLagMaxEvents: figure(
      lagMax,
      'events',
      'producer ledgers: max scheduleLagMaxEvents (final)',
      'no final ledger was read',
    ),
    rigLimited,
    producersDied: ctx.input.producersDied,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The highest sample of a bytes series in the burst (else over the run); null when not read at all. */
function burstPeak(ctx: Ctx, series: Reading<Sample[]> | undefined): Figure | null {
  if (!series) return null;
  const burst = burstPhase(ctx.input.phases);
  const source = `max of ${series.source}${burst ? ` in phase ${burst.name}` : ''}`;
  if (series.value === null) return figure(null, 'bytes', source, series.missing);
  const inBurst = burst ? within(series.value, sec(burst.startAt), sec(burst.endAt)) : series.value;
  return figure(maxOf(inBurst.map(([, v]) => v)), 'bytes', source, 'no sample in the burst');
}

/** The StatsD socket's highest receive queue in the burst (else over the run) and its buffer. */
function udpQueuePeak(ctx: Ctx): { peak: Figure; buffer: Figure } | null {
  const raw = ctx.input.statsd;
  const peak = burstPeak(ctx, raw?.queueMaxSeries);
  if (!raw?.receiveBuffer || !peak) return null;
  return { peak, buffer: udpReceiveBuffer(raw.receiveBuffer.askedBytes, raw.receiveBuffer.rmemMaxBytes) };
}

/** Builds the whole report.json from the measurement input. */
export function assembleReport(input: MeasurementInput): Report {
  const ctx: Ctx = {
    input,
    loadStart: input.run.loadStartAt ? sec(input.run.loadStartAt) : null,
    cutoff: input.run.cutoffAt ? sec(input.run.cutoffAt) : sec(input.run.finishedAt),
    signals: [],
    charts: [],
  };
  const arms: Report['arms'] = {};
  if (input.spec.arms.pull && input.pull) arms.pull = assemblePull(ctx, input.pull);
  if (input.spec.arms.statsd && input.statsd) arms.statsd = assembleStatsd(ctx, input.statsd);
  if (input.spec.arms.otlp && input.otlp) arms.otlp = assembleOtlp(ctx, input.otlp);
  const rig = assembleRig(ctx);
  const resources = input.collectorResources
    ? assembleCollectorResources(input.collectorResources, ctx.cutoff)
    : null;
  for (const oom of resources?.oomSignals ?? []) {
    signal(ctx, oom.arm, 'collector-oom-killed', oom.atSeconds, oom.detail, oom.source, true);
  }
  const headroom = computeHeadroom({
    spec: input.spec,
    arms,
    collectors: resources?.collectors ?? [],
    udpQueue: udpQueuePeak(ctx),
    otelcolHeapPeak: burstPeak(ctx, ctx.input.otlp?.heapSeries),
  });
  const signals = ctx.signals.sort((a, b) => a.offsetSeconds - b.offsetSeconds || a.arm.localeCompare(b.arm));
  const verdict = decideVerdict({
    phases: input.phases,
    arms,
    signals,
    rig,
    missing: input.run.missing,
    run: { outcome: input.run.outcome, stoppedAt: input.run.cutoffAt ?? input.run.finishedAt },
    headroom,
  });
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    experiment: {
      name: input.name,
      ...(input.namespace ? { namespace: input.namespace } : {}),
      runtime: input.runtime,
      spec: input.spec,
    },
    run: input.run,
    machine: input.machine,
    tools: input.tools,
    phases: input.phases,
    arms,
    rig,
    signals,
    verdict,
    ...(input.liveness ? { liveness: assembleLiveness(input.liveness, input.spec) } : {}),
    ...(input.jobs ? { jobs: assembleJobs(input.jobs, input.spec, input.name) } : {}),
    ...(input.network
      ? {
          network: assembleNetwork(
            input.network,
            { arms, experiment: { name: input.name, runtime: input.runtime, spec: input.spec } },
            input.ledgerSeries,
          ),
        }
      : {}),
    charts: ctx.charts,
    ...(resources ? { collectors: resources.collectors } : {}),
    headroom,
  };
  // Last, on the finished report: expectations read figures by name, derived ones included.
  const expect = input.spec.expect;
  return expect?.length ? { ...report, expectations: evaluateExpectations(report, expect) } : report;
}

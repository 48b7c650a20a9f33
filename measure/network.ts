/**
 * The game day's network faults in the report: for each fault, what the producers knew (send errors,
 * failed exports, retries in their ledgers), what the collector knew (up == 0, refusals, what still
 * arrived) and the truth from the books (what the rules dropped, duplicates, whether pull's counters
 * held every event) — and one sentence each, and one for the game day, saying who knew, when, and what
 * was lost. Pure: the runtime reads the rule counters and snapshots at each edge (local/rehearsal.ts).
 */
import type { ArmName, NetworkFault } from '../api/v1alpha1/schema.ts';
import type { Figure, NetworkFaultResult, NetworkResult, Report } from '../report/types.ts';
import type { CollectorCounters } from './collect.ts';
import type { LedgerPoint, Reading } from './inputs.ts';
import type { PromSeries } from './prom-api.ts';

/** An arm's producers at one instant, summed over their latest ledgers. */
export interface ProducerSnapshot {
  sendErrors: number;
  exportsFailed: number;
  exportsOk: number;
  pointsExported: number;
  datagramsSent: number;
  scrapesServed: number;
  /** null: some exporter's transport could not be reached to count them. */
  retries: number | null;
}

/** One network fault as the runtime saw it. */
export interface RawNetworkFault {
  index: number;
  fault: NetworkFault;
  /** When the rig put it on and took it off (ms since the epoch); null: it was not, with `missing`. */
  startedMs: number | null;
  healedMs: number | null;
  /** Packets its rules dropped, every leg. */
  dropped: Reading<number>;
  /** StatsD: the datagrams of its to-collector leg (port-scoped), what the books subtract. */
  droppedToCollector: Reading<number>;
  producersAtStart: ProducerSnapshot | null;
  producersAtHeal: ProducerSnapshot | null;
  collectorAtStart: CollectorCounters | null;
  collectorAtHeal: CollectorCounters | null;
  collectorAtCutOff: CollectorCounters | null;
  /** Pull: the subject's up samples of the pull targets from before the start to after the heal. */
  up?: Reading<PromSeries[]>;
  missing?: string;
}

/** The run's network, as the runtime set it up. */
export interface RawNetwork {
  layout: NetworkResult['layout'];
  reason: string;
  faults: RawNetworkFault[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const fig = (value: number, unit: Figure['unit'], source: string): Figure => ({ value, unit, source });
const none = (unit: Figure['unit'], source: string, missing: string): Figure => ({
  value: null,
  unit,
  source,
  missing,
});

/** The StatsD books' network drops: every statsd fault's to-collector datagrams; absent without any. */
export function statsdNetworkDrops(raw: RawNetwork | undefined): Figure | undefined {
  const faults = (raw?.faults ?? []).filter((f) => f.fault.arm === 'statsd');
  if (faults.length === 0 || raw?.layout !== 'namespaces') return undefined;
  const source = faults.map((f) => f.droppedToCollector.source).join(' + ');
  const missing = faults.find((f) => f.droppedToCollector.value === null);
  if (missing)
    return none(
      'datagrams',
      source,
      `a rule counter could not be read: ${missing.droppedToCollector.source}`,
    );
  return fig(
    faults.reduce((s, f) => s + (f.droppedToCollector.value ?? 0), 0),
    'datagrams',
    source,
  );
}

type Delta = (p: ProducerSnapshot) => number | null;

function producerDelta(f: RawNetworkFault, pick: Delta, unit: Figure['unit'], what: string): Figure {
  const source = `producer ledgers: ${what} (heal − start)`;
  const a = f.producersAtStart ? pick(f.producersAtStart) : null;
  const b = f.producersAtHeal ? pick(f.producersAtHeal) : null;
  if (a === null || b === null)
    return none(unit, source, 'the ledgers at the start or the heal were not read');
  return fig(b - a, unit, source);
}

function counterDelta(
  from: CollectorCounters | null,
  to: CollectorCounters | null,
  pick: (c: CollectorCounters) => Reading<number> | undefined,
  unit: Figure['unit'],
  what: string,
  window: string,
): Figure {
  const a = from ? pick(from) : undefined;
  const b = to ? pick(to) : undefined;
  const source = `${b?.source ?? a?.source ?? what} (${window})`;
  if (!a || !b || a.value === null || b.value === null)
    return none(unit, source, `${what} was not read at both ends of the window`);
  return fig(b.value - a.value, unit, source);
}

/** What reached the collector, per arm: datagrams, accepted points, scrapes served. */
function arrivedPick(arm: ArmName): ((c: CollectorCounters) => Reading<number> | undefined) | null {
  if (arm === 'statsd') return (c) => c.statsd?.received;
  if (arm === 'otlp') return (c) => c.otlp?.accepted;
  return null;
}

/** The first ledger poll in [start, heal] whose errors rose above the start's. */
function firstProducerSignal(f: RawNetworkFault, series: readonly LedgerPoint[] | undefined): number | null {
  if (f.startedMs === null || !f.producersAtStart || !series) return null;
  const end = (f.healedMs ?? Number.POSITIVE_INFINITY) / 1000;
  const base = f.producersAtStart;
  for (const [t, totals] of series) {
    if (t * 1000 < f.startedMs || t > end) continue;
    if (totals.sendErrors > base.sendErrors || totals.exportsFailed > base.exportsFailed) return t * 1000;
  }
  return null;
}

/** up == 0 samples of the pull targets within [start, heal + one scrape]. */
function upZero(f: RawNetworkFault, scrapeSeconds: number): { figure: Figure; firstMs: number | null } {
  const up = f.up;
  if (!up || f.startedMs === null) {
    return {
      figure: none('scrapes', 'up of the pull targets', 'not a pull fault, or not applied'),
      firstMs: null,
    };
  }
  if (up.value === null) return { figure: none('scrapes', up.source, up.missing), firstMs: null };
  const from = f.startedMs / 1000;
  const to = (f.healedMs ?? f.startedMs) / 1000 + scrapeSeconds;
  let count = 0;
  let first: number | null = null;
  for (const s of up.value) {
    for (const [t, v] of s.samples) {
      if (t < from || t > to || v !== 0) continue;
      count++;
      if (first === null || t < first) first = t;
    }
  }
  return {
    figure: fig(count, 'scrapes', `${up.source}: samples == 0 from the start to one scrape after the heal`),
    firstMs: first === null ? null : first * 1000,
  };
}

/** The longest time between two up == 1 samples of one target within the samples read. */
function longestGap(up: RawNetworkFault['up']): Figure {
  const source = `${up?.source ?? 'up of the pull targets'}: longest time between two up == 1 samples of a target`;
  if (!up || up.value === null) return none('seconds', source, up?.missing ?? 'not a pull fault');
  let gap = 0;
  for (const s of up.value) {
    let last: number | null = null;
    for (const [t, v] of [...s.samples].sort((a, b) => a[0] - b[0])) {
      if (v !== 1) continue;
      if (last !== null) gap = Math.max(gap, t - last);
      last = t;
    }
  }
  return fig(Math.round(gap * 1000) / 1000, 'seconds', source);
}

const n = (f: Figure) => (f.value === null ? 'unknown' : String(f.value));
const positive = (f: Figure) => f.value !== null && f.value > 0;
const secondsAfter = (ms: number | null, startMs: number | null) =>
  ms === null || startMs === null ? '' : ` ${((ms - startMs) / 1000).toFixed(1)} s after it began`;

function describeKind(fault: NetworkFault): string {
  const dir = fault.direction ?? 'both';
  const what =
    fault.kind === 'loss'
      ? `${Math.round((fault.lossShare ?? 0) * 100)}% loss`
      : fault.kind === 'bandwidth'
        ? `a ${fault.bitsPerSecond} bit/s limit`
        : fault.kind === 'delay'
          ? `a ${fault.delayMilliseconds} ms delay`
          : 'a partition';
  return `${what} on the ${fault.arm} path (${dir}) for ${fault.durationSeconds} s`;
}

function assembleFault(
  f: RawNetworkFault,
  report: Pick<Report, 'arms' | 'experiment'>,
  series: Partial<Record<ArmName, LedgerPoint[]>>,
): NetworkFaultResult {
  const arm = f.fault.arm;
  const sendErrors = producerDelta(f, (p) => p.sendErrors, 'count', 'sendErrors');
  const exportsFailed = producerDelta(f, (p) => p.exportsFailed, 'count', 'exportsFailed');
  const retries = producerDelta(f, (p) => p.retries, 'count', 'exportRetries');
  const pick = arrivedPick(arm);
  const scrapeSeconds = report.experiment.spec.arms.pull?.scrapeIntervalSeconds ?? 1;
  const up = upZero(f, scrapeSeconds);
  const arrived = pick
    ? counterDelta(
        f.collectorAtStart,
        f.collectorAtHeal,
        pick,
        arm === 'otlp' ? 'points' : 'datagrams',
        arm,
        'heal − start',
      )
    : producerDelta(f, (p) => p.scrapesServed, 'scrapes', 'scrapesServed');
  const arrivedAfterHeal = pick
    ? counterDelta(
        f.collectorAtHeal,
        f.collectorAtCutOff,
        pick,
        arm === 'otlp' ? 'points' : 'datagrams',
        arm,
        'cut-off − heal',
      )
    : none('scrapes', 'scrapesServed', 'the producers are not polled after the cut-off');
  const refusedPoints =
    arm === 'otlp'
      ? counterDelta(
          f.collectorAtStart,
          f.collectorAtHeal,
          (c) => c.otlp?.refused,
          'points',
          'otelcol refused points',
          'heal − start',
        )
      : none('points', 'otelcol refused points', 'not an OTLP fault');
  const firstProducer = firstProducerSignal(f, series[arm]);
  const dropped: Figure =
    f.dropped.value === null
      ? none('packets', f.dropped.source, f.dropped.missing)
      : fig(f.dropped.value, 'packets', f.dropped.source);
  const producersKnew = positive(sendErrors) || positive(exportsFailed) || positive(retries);
  const collectorKnew =
    positive(up.figure) || positive(refusedPoints) || (pick !== null && arrived.value === 0);
  const knew =
    producersKnew && collectorKnew
      ? 'both'
      : producersKnew
        ? 'producers'
        : collectorKnew
          ? 'collector'
          : 'neither';

  const out: NetworkFaultResult = {
    index: f.index,
    kind: f.fault.kind,
    arm,
    direction: f.fault.direction ?? 'both',
    from: f.startedMs === null ? null : iso(f.startedMs),
    until: f.healedMs === null ? null : iso(f.healedMs),
    dropped,
    producers: {
      sendErrors,
      exportsFailed,
      retries,
      firstSignalAt: firstProducer === null ? null : iso(firstProducer),
    },
    collector: {
      upZeroScrapes: up.figure,
      refusedPoints,
      arrived,
      arrivedAfterHeal,
      firstSignalAt: up.firstMs === null ? null : iso(up.firstMs),
    },
    knew,
    sentence: '',
  };
  let lost = '';
  if (arm === 'statsd') {
    lost = `${n(dropped)} datagrams were lost on the wire and never counted anywhere but the rule`;
  } else if (arm === 'otlp') {
    const o = report.arms.otlp;
    const dup =
      o && o.pointsAccepted.value !== null && o.pointsExported.value !== null
        ? fig(
            Math.max(0, o.pointsAccepted.value - o.pointsExported.value),
            'points',
            `max(0, ${o.pointsAccepted.source} − ${o.pointsExported.source})`,
          )
        : none('points', 'pointsAccepted − pointsExported', 'accepted or exported points are missing');
    out.duplicates = dup;
    lost = `${n(exportsFailed)} exports failed in the window, ${n(arrivedAfterHeal)} points were accepted after the heal, ${n(dup)} duplicate points`;
  } else {
    const p = report.arms.pull;
    out.scrapeGapSeconds = longestGap(f.up);
    if (p && p.eventsSeen.value !== null && p.eventsGenerated.value !== null) {
      out.heldEveryEvent = p.eventsSeen.value >= p.eventsGenerated.value;
      lost = out.heldEveryEvent
        ? `nothing was lost, only seen late (the longest scrape gap was ${n(out.scrapeGapSeconds)} s): the counters at the cut-off hold all ${p.eventsGenerated.value} generated events`
        : `the counters at the cut-off hold ${p.eventsSeen.value} of ${p.eventsGenerated.value} generated events`;
    } else lost = 'whether the counters held every event is unknown (events seen or generated are missing)';
  }
  const producerSide = producersKnew
    ? `the producers knew${secondsAfter(firstProducer, f.startedMs)} (${[
        positive(exportsFailed) ? `${n(exportsFailed)} failed exports` : null,
        `${n(retries)} retries`,
        positive(sendErrors) ? `${n(sendErrors)} send errors` : null,
      ]
        .filter((x) => x !== null)
        .join(', ')})`
    : arm === 'pull'
      ? `the producers raised nothing (they served ${n(arrived)} scrapes in the window)`
      : `the producers did not know (${n(sendErrors)} send errors, ${n(exportsFailed)} failed exports)`;
  const collectorSide = positive(up.figure)
    ? `the collector knew${secondsAfter(up.firstMs, f.startedMs)} (${n(up.figure)} scrapes with up == 0)`
    : positive(refusedPoints)
      ? `the collector refused ${n(refusedPoints)} points`
      : pick !== null && arrived.value === 0
        ? 'the collector received nothing at all in the window'
        : arm === 'statsd'
          ? `the collector went on receiving (${n(arrived)} datagrams) and counted no loss`
          : arm === 'otlp'
            ? `the collector had no signal (${n(arrived)} points still arrived, ${n(refusedPoints)} refused)`
            : `the collector had no signal (${n(up.figure)} scrapes with up == 0)`;
  const who =
    arm === 'statsd' && knew === 'neither'
      ? `StatsD did not know: ${producerSide}, ${collectorSide}`
      : `${producerSide}; ${collectorSide}`;
  out.sentence =
    f.startedMs === null
      ? `Fault ${f.index} (${describeKind(f.fault)}) was not applied: ${f.missing ?? 'unknown reason'}.`
      : `Fault ${f.index}, ${describeKind(f.fault)}: ${who}; ${lost}.`;
  return out;
}

/** The report's network section from what the runtime saw. */
export function assembleNetwork(
  raw: RawNetwork,
  report: Pick<Report, 'arms' | 'experiment'>,
  series: Partial<Record<ArmName, LedgerPoint[]>>,
): NetworkResult {
  const faults = raw.faults.map((f) => assembleFault(f, report, series));
  const sentence =
    raw.layout === 'loopback'
      ? `No network fault ran: ${raw.reason}.`
      : faults.map((f) => f.sentence).join(' ');
  return { layout: raw.layout, reason: raw.reason, faults, sentence };
}

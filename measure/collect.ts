/**
 * The one collect step of both runtimes: after the cut-off it runs the query catalogue (measure/queries.ts)
 * against the subject and the rig Prometheus and pairs the result with the collectors' counters at the
 * baseline and at the cut-off, into measure/inputs.ts shapes for assemble. Where the counters come from is
 * the runtime's business (read directly on this machine; from the rig Prometheus in a cluster or after a
 * crash — `countersFromRig`). A source that does not answer becomes a `missing` reading with the error,
 * never a zero.
 */
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { RawOtlp, RawPull, RawStatsd, Reading, UdpCounterReading } from './inputs.ts';
import type { PromClient, PromSeries } from './prom-api.ts';
import {
  firingAlertsSelector,
  ordersSeenQuery,
  type QueryScope,
  type QueryWindow,
  rawSamples,
  rigSelectors,
  subjectSelectors,
} from './queries.ts';
import type { Sample } from './stats.ts';

/** statsd_exporter's counters the books need. */
export interface StatsdCounters {
  received: Reading<number>;
  queueDrops: Reading<number>;
}

/** otelcol's receiver counters. */
export interface OtelcolCounters {
  accepted: Reading<number>;
  refused: Reading<number>;
  failed: Reading<number>;
}

/** Every collector counter the books read, at one moment. */
export interface CollectorCounters {
  statsd?: StatsdCounters;
  otlp?: OtelcolCounters;
  kernel: Reading<UdpCounterReading>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs `read` as one reading: a null answer is missing with `absent`, a failure with its message. */
export async function reading<T>(
  source: string,
  read: () => Promise<T | null>,
  absent: string,
): Promise<Reading<T>> {
  try {
    const value = await read();
    return value === null ? { value: null, source, missing: absent } : { value, source };
  } catch (err) {
    return { value: null, source, missing: message(err) };
  }
}

const provenance = (client: PromClient, query: string) => `PromQL ${query} @ ${client.source}`;

/** The raw series of a window. */
function series(client: PromClient, selector: string, w: QueryWindow): Promise<Reading<PromSeries[]>> {
  const q = rawSamples(selector, w);
  return reading(
    provenance(client, q),
    async () => {
      const r = await client.query(q, w.at);
      return r.length === 0 ? null : r;
    },
    'the query returned no series',
  );
}

/**
 * A counter over time. Several series (e.g. otelcol's per-transport ones) are added up per timestamp:
 * one scrape stamps all series of a target with the same time, so concatenating them would corrupt
 * rates and first-increase times.
 */
function counter(client: PromClient, selector: string, w: QueryWindow): Promise<Reading<Sample[]>> {
  const q = rawSamples(selector, w);
  return reading(
    provenance(client, q),
    async () => {
      const r = await client.query(q, w.at);
      if (r.length === 0) return null;
      const byTime = new Map<number, number>();
      for (const s of r) for (const [t, v] of s.samples) byTime.set(t, (byTime.get(t) ?? 0) + v);
      return [...byTime.entries()].sort(([a], [b]) => a - b);
    },
    'the rig Prometheus holds no such series',
  );
}

/** `sum(query)` at `t`, or null when no series matches. */
async function scalarAt(client: PromClient, query: string, t: number): Promise<number | null> {
  const r = await client.query(`sum(${query})`, t);
  return r[0]?.samples[0]?.[1] ?? null;
}

export interface CollectArmsOptions {
  scope: QueryScope;
  spec: ExperimentSpec;
  subject: PromClient;
  rig: PromClient;
  /** The pull figures' window: it ends one scrape timeout before the cut-off (see the driver). */
  pullWindow: QueryWindow;
  /** The push series' window, to the cut-off. */
  pushWindow: QueryWindow;
  /** The collectors' counters before any producer started, and at the cut-off. */
  baseline: CollectorCounters;
  final: CollectorCounters;
  /** The UDP port of the StatsD collector's socket, whose kernel drops the books count. */
  statsdUdpPort: number | null;
  /** Pull targets the fleet serves. */
  pullTargets: number;
  /** net.core.rmem_max where the StatsD collector runs (caps its receive buffer); omitted: unknown. */
  rmemMaxBytes?: number | null;
}

/** The raw measurement of every arm the spec runs. */
export async function collectArms(
  o: CollectArmsOptions,
): Promise<{ pull?: RawPull; statsd?: RawStatsd; otlp?: RawOtlp }> {
  const out: { pull?: RawPull; statsd?: RawStatsd; otlp?: RawOtlp } = {};
  const subject = subjectSelectors(o.scope);
  const rig = rigSelectors(o.scope, o.statsdUdpPort);
  if (o.spec.arms.pull) {
    const w = o.pullWindow;
    const orders = ordersSeenQuery(o.scope, w);
    out.pull = {
      targets: o.pullTargets,
      scrapeDuration: await series(o.subject, subject.scrapeDuration, w),
      up: await series(o.subject, subject.up, w),
      samplesScraped: await series(o.subject, subject.samplesScraped, w),
      bodySize: await series(o.subject, subject.bodySize, w),
      sampleLimitExceeded: await counter(o.rig, rig.sampleLimitExceeded, w),
      bodySizeLimitExceeded: await counter(o.rig, rig.bodySizeLimitExceeded, w),
      ordersSeen: await reading(
        provenance(o.subject, orders),
        async () => (await o.subject.query(orders, w.at))[0]?.samples[0]?.[1] ?? null,
        'the subject Prometheus holds no orders_total',
      ),
    };
  }
  const w = o.pushWindow;
  if (o.spec.arms.statsd) {
    const before = o.baseline.statsd ?? absentStatsd('no baseline was read');
    const after = o.final.statsd ?? absentStatsd('no final reading was taken');
    out.statsd = {
      mode: o.spec.arms.statsd.mode,
      receivedBefore: before.received,
      receivedAfter: after.received,
      queueDropsBefore: before.queueDrops,
      queueDropsAfter: after.queueDrops,
      kernelBefore: o.baseline.kernel,
      kernelAfter: o.final.kernel,
      receivedSeries: await counter(o.rig, rig.statsdReceived, w),
      queueDropsSeries: await counter(o.rig, rig.statsdQueueDrops, w),
      kernelDropsSeries: await counter(o.rig, rig.kernelSocketDrops, w),
      queueMaxSeries: await counter(o.rig, rig.kernelSocketQueueMax1s, w),
      receiveBuffer: {
        askedBytes: o.spec.arms.statsd.receiveBufferBytes,
        rmemMaxBytes: o.rmemMaxBytes ?? null,
      },
    };
  }
  if (o.spec.arms.otlp) {
    const before = o.baseline.otlp ?? absentOtelcol('no baseline was read');
    const after = o.final.otlp ?? absentOtelcol('no final reading was taken');
    out.otlp = {
      protocol: o.spec.arms.otlp.protocol,
      acceptedBefore: before.accepted,
      acceptedAfter: after.accepted,
      refusedBefore: before.refused,
      refusedAfter: after.refused,
      failedBefore: before.failed,
      failedAfter: after.failed,
      acceptedSeries: await counter(o.rig, rig.otlpAccepted, w),
      refusedSeries: await counter(o.rig, rig.otlpRefused, w),
      heapSeries: await counter(o.rig, rig.otelcolHeap, w),
    };
  }
  return out;
}

const absent = (source: string, why: string): Reading<number> => ({ value: null, source, missing: why });
const absentStatsd = (why: string): StatsdCounters => ({
  received: absent('statsd_exporter_udp_packets_total', why),
  queueDrops: absent('statsd_exporter_udp_packet_drops_total', why),
});
const absentOtelcol = (why: string): OtelcolCounters => ({
  accepted: absent('otelcol_receiver_accepted_metric_points', why),
  refused: absent('otelcol_receiver_refused_metric_points', why),
  failed: absent('otelcol_receiver_failed_metric_points', why),
});

export interface CountersFromRigOptions {
  rig: PromClient;
  scope: QueryScope;
  spec: ExperimentSpec;
  statsdUdpPort: number | null;
  /** Unix seconds. */
  at: number;
  /**
   * The collectors started fresh for this run and no producer had sent anything yet (the baseline): a
   * push counter the rig has no sample of then reads 0, and its source says why. Otherwise absent is
   * missing.
   */
  fresh: boolean;
}

/**
 * The collectors' counters as the rig Prometheus recorded them at `at` (its last scrape at or before it):
 * the cluster's reading, and a crashed local run's.
 */
export async function countersFromRig(o: CountersFromRigOptions): Promise<CollectorCounters> {
  const q = rigSelectors(o.scope, o.statsdUdpPort);
  const pick = async (selector: string): Promise<Reading<number>> => {
    const source = `${provenance(o.rig, `sum(${selector})`)} at ${new Date(o.at * 1000).toISOString()}`;
    try {
      const v = await scalarAt(o.rig, selector, o.at);
      if (v !== null) return { value: v, source };
      return o.fresh
        ? { value: 0, source: `${source} (no sample yet: a fresh collector's counter starts at 0)` }
        : { value: null, source, missing: 'the rig Prometheus holds no sample of it' };
    } catch (err) {
      return { value: null, source, missing: message(err) };
    }
  };
  const out: CollectorCounters = { kernel: await kernelFromRig(o, q) };
  if (o.spec.arms.statsd) {
    out.statsd = { received: await pick(q.statsdReceived), queueDrops: await pick(q.statsdQueueDrops) };
  }
  if (o.spec.arms.otlp) {
    out.otlp = {
      accepted: await pick(q.otlpAccepted),
      refused: await pick(q.otlpRefused),
      failed: await pick(q.otlpFailed),
    };
  }
  return out;
}

async function kernelFromRig(
  o: CountersFromRigOptions,
  q: ReturnType<typeof rigSelectors>,
): Promise<Reading<UdpCounterReading>> {
  const source = `${provenance(o.rig, q.kernelInDatagrams)} (+ in_errors, rcvbuf_errors, socket_drops)`;
  try {
    const [inDatagrams, inErrors, rcvbufErrors, socketDrops] = await Promise.all(
      [q.kernelInDatagrams, q.kernelInErrors, q.kernelRcvbufErrors, q.kernelSocketDrops].map((s) =>
        scalarAt(o.rig, s, o.at),
      ),
    );
    if (inDatagrams == null || inErrors == null || rcvbufErrors == null) {
      // A fresh collector's network namespace and socket were made for this run: their counters start at 0.
      if (o.fresh) {
        const zero = { inDatagrams: 0, inErrors: 0, rcvbufErrors: 0, socketDrops: 0 };
        return { value: zero, source: `${source} (no sample yet: a fresh collector's counters start at 0)` };
      }
      return { value: null, source, missing: 'the rig Prometheus holds no kernel UDP counters at that time' };
    }
    return { value: { inDatagrams, inErrors, rcvbufErrors, socketDrops: socketDrops ?? null }, source };
  } catch (err) {
    return { value: null, source, missing: message(err) };
  }
}

/** The firing liveness alerts of the run, from the subject Prometheus (it evaluates the rules). */
export function collectFiringAlerts(
  subject: PromClient,
  scope: QueryScope,
  w: QueryWindow,
): Promise<Reading<PromSeries[]>> {
  return series(subject, firingAlertsSelector(scope), w).then((r) =>
    // No series: no alert fired, which is an answer, not a missing reading.
    r.value === null && r.missing === 'the query returned no series' ? { value: [], source: r.source } : r,
  );
}

/**
 * The local runtime's collect step: reads the raw material of the measurement from the subject
 * Prometheus (pull samples), the rig Prometheus (collectors' self metrics and kernel counters over
 * time) and the collectors' own /metrics at the cut-off, into measure/inputs.ts shapes. A source that
 * does not answer becomes a `missing` reading with the error, never a zero.
 */

import { RIG_JOBS, SUBJECT_JOBS } from '../collectors/jobs.ts';
import { parseExposition, sumSamples } from '../measure/exposition.ts';
import type { RawOtlp, RawPull, RawStatsd, Reading, UdpCounterReading } from '../measure/inputs.ts';
import { fetchExposition, type PromSeries, promQuery } from '../measure/prom-api.ts';
import type { Sample } from '../measure/stats.ts';
import { readKernelUdp } from '../udp-counters/exporter.ts';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function reading<T>(
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

/** A window of raw samples: `selector[<seconds>s]` evaluated at `at`. */
export interface Window {
  from: number;
  at: number;
}

const range = (w: Window) => `${Math.max(1, Math.ceil(w.at - w.from))}s`;

async function rawSeries(url: string, selector: string, w: Window): Promise<Reading<PromSeries[]>> {
  const query = `${selector}[${range(w)}]`;
  return reading(query, () => promQuery(url, query, w.at), 'no series');
}

/**
 * A counter over time from the rig Prometheus. Several series (e.g. otelcol's per-transport ones) are
 * added up per timestamp: one scrape stamps all series of a target with the same time.
 */
async function rawCounter(url: string, selector: string, w: Window): Promise<Reading<Sample[]>> {
  return reading(
    `rig Prometheus: ${selector}`,
    async () => {
      const series = await promQuery(url, `${selector}[${range(w)}]`, w.at);
      if (series.length === 0) return null;
      const byTime = new Map<number, number>();
      for (const s of series) for (const [t, v] of s.samples) byTime.set(t, (byTime.get(t) ?? 0) + v);
      return [...byTime.entries()].sort(([a], [b]) => a - b);
    },
    'the rig Prometheus holds no such series',
  );
}

export async function collectPull(
  subjectUrl: string,
  rigUrl: string,
  targets: number,
  w: Window,
): Promise<RawPull> {
  const job = `job="${SUBJECT_JOBS.pull}"`;
  const subjectSelf = `job="${RIG_JOBS.subjectPrometheus}"`;
  return {
    targets,
    scrapeDuration: await rawSeries(subjectUrl, `scrape_duration_seconds{${job}}`, w),
    up: await rawSeries(subjectUrl, `up{${job}}`, w),
    samplesScraped: await rawSeries(subjectUrl, `scrape_samples_scraped{${job}}`, w),
    bodySize: await rawSeries(subjectUrl, `scrape_body_size_bytes{${job}}`, w),
    sampleLimitExceeded: await rawCounter(
      rigUrl,
      `prometheus_target_scrapes_exceeded_sample_limit_total{${subjectSelf}}`,
      w,
    ),
    bodySizeLimitExceeded: await rawCounter(
      rigUrl,
      `prometheus_target_scrapes_exceeded_body_size_limit_total{${subjectSelf}}`,
      w,
    ),
    ordersSeen: await reading(
      `sum(max_over_time(orders_total{${job}}[${range(w)}]))`,
      async () => {
        const r = await promQuery(subjectUrl, `sum(max_over_time(orders_total{${job}}[${range(w)}]))`, w.at);
        return r[0]?.samples[0]?.[1] ?? null;
      },
      'the subject Prometheus holds no orders_total',
    ),
  };
}

/** The statsd_exporter counters the books need, read straight from its /metrics. */
export interface StatsdCounters {
  received: Reading<number>;
  queueDrops: Reading<number>;
}

export async function readStatsdCounters(metricsUrl: string): Promise<StatsdCounters> {
  const text = reading(`GET ${metricsUrl}`, () => fetchExposition(metricsUrl), 'empty');
  const t = await text;
  const pick = (name: string): Reading<number> =>
    t.value === null
      ? { value: null, source: name, missing: t.missing }
      : (() => {
          const v = sumSamples(parseExposition(t.value), name);
          return v === null
            ? { value: null, source: name, missing: `statsd_exporter does not serve ${name}` }
            : { value: v, source: `${name} (statsd_exporter /metrics)` };
        })();
  return {
    received: pick('statsd_exporter_udp_packets_total'),
    queueDrops: pick('statsd_exporter_udp_packet_drops_total'),
  };
}

/**
 * The kernel UDP counters of this network namespace (the collectors' one, locally), and the drop
 * counter of the collector's socket bound to `port`.
 */
export async function readKernel(port: number | null): Promise<Reading<UdpCounterReading>> {
  return reading(
    port === null ? '/proc/net/snmp Udp' : `/proc/net/snmp Udp + /proc/net/udp port ${port}`,
    async () => {
      const { counters, reading: r } = await readKernelUdp('/proc', port === null ? [] : [port]);
      const num = (k: string) => (typeof counters[k] === 'number' ? (counters[k] as number) : 0);
      const socket = r.sockets.find((s) => s.port === port);
      return {
        inDatagrams: num('InDatagrams'),
        inErrors: num('InErrors'),
        rcvbufErrors: num('RcvbufErrors'),
        socketDrops: socket && socket.sockets > 0 ? socket.drops : null,
      };
    },
    'no Udp counters',
  );
}

export interface OtelcolCounters {
  accepted: Reading<number>;
  refused: Reading<number>;
  failed: Reading<number>;
}

export async function readOtelcolCounters(telemetryUrl: string): Promise<OtelcolCounters> {
  const t = await reading(`GET ${telemetryUrl}`, () => fetchExposition(telemetryUrl), 'empty');
  if (t.value === null) {
    const absent = (base: string): Reading<number> => ({ value: null, source: base, missing: t.missing });
    return {
      accepted: absent('otelcol_receiver_accepted_metric_points'),
      refused: absent('otelcol_receiver_refused_metric_points'),
      failed: absent('otelcol_receiver_failed_metric_points'),
    };
  }
  return otelcolReceiverCounters(t.value);
}

/**
 * The receiver counters from the text of otelcol's telemetry endpoint. otelcol creates the three
 * together on its first OTLP request (refused and failed at 0), so while its own telemetry is served
 * (`otelcol_process_*`) an absent family means no request has arrived yet: 0, said so in the source.
 * Telemetry without any otelcol_ series is not otelcol's: the counters stay missing.
 */
export function otelcolReceiverCounters(text: string): OtelcolCounters {
  const samples = parseExposition(text);
  const alive = samples.some((s) => s.name.startsWith('otelcol_'));
  const pick = (base: string): Reading<number> => {
    const v = sumSamples(samples, [`${base}_total`, base]);
    if (v !== null) return { value: v, source: `${base} (otelcol telemetry)` };
    return alive
      ? { value: 0, source: `${base} (otelcol telemetry; absent until its first OTLP request, so 0)` }
      : {
          value: null,
          source: base,
          missing: `otelcol's telemetry serves no otelcol_ series, so not ${base}`,
        };
  };
  return {
    accepted: pick('otelcol_receiver_accepted_metric_points'),
    refused: pick('otelcol_receiver_refused_metric_points'),
    failed: pick('otelcol_receiver_failed_metric_points'),
  };
}

export async function collectStatsd(
  mode: string,
  rigUrl: string,
  before: StatsdCounters,
  after: StatsdCounters,
  kernelBefore: Reading<UdpCounterReading>,
  kernelAfter: Reading<UdpCounterReading>,
  udpPort: number,
  w: Window,
): Promise<RawStatsd> {
  const statsdJob = `job="${RIG_JOBS.statsdExporter}"`;
  const kernelJob = `job="${RIG_JOBS.kernelUdp}"`;
  return {
    mode,
    receivedBefore: before.received,
    receivedAfter: after.received,
    queueDropsBefore: before.queueDrops,
    queueDropsAfter: after.queueDrops,
    kernelBefore,
    kernelAfter,
    receivedSeries: await rawCounter(rigUrl, `statsd_exporter_udp_packets_total{${statsdJob}}`, w),
    queueDropsSeries: await rawCounter(rigUrl, `statsd_exporter_udp_packet_drops_total{${statsdJob}}`, w),
    kernelDropsSeries: await rawCounter(
      rigUrl,
      `pushpull_kernel_udp_socket_drops_total{${kernelJob},port="${udpPort}"}`,
      w,
    ),
  };
}

export async function collectOtlp(
  protocol: string,
  rigUrl: string,
  before: OtelcolCounters,
  after: OtelcolCounters,
  w: Window,
): Promise<RawOtlp> {
  const job = `job="${RIG_JOBS.otelcol}"`;
  const series = (base: string) => rawCounter(rigUrl, `{__name__=~"${base}(_total)?",${job}}`, w);
  return {
    protocol,
    acceptedBefore: before.accepted,
    acceptedAfter: after.accepted,
    refusedBefore: before.refused,
    refusedAfter: after.refused,
    failedBefore: before.failed,
    failedAfter: after.failed,
    acceptedSeries: await series('otelcol_receiver_accepted_metric_points'),
    refusedSeries: await series('otelcol_receiver_refused_metric_points'),
  };
}

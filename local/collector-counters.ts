/**
 * The local runtime's counter reader: the collectors' counters straight from their own /metrics and this
 * network namespace's /proc, at the moment the driver asks (the baseline before any producer starts, and
 * the cut-off) — the exact figures the books need; measure/collect.ts does the rest. A source that does
 * not answer becomes a `missing` reading with the error, never a zero.
 */
import {
  type CollectorCounters,
  type OtelcolCounters,
  reading,
  type StatsdCounters,
} from '../measure/collect.ts';
import { parseExposition, sumSamples } from '../measure/exposition.ts';
import type { Reading, UdpCounterReading } from '../measure/inputs.ts';
import { fetchExposition } from '../measure/prom-api.ts';
import { readKernelUdp } from '../udp-counters/exporter.ts';
import type { CollectorEndpoints } from './collectors.ts';

/** Every counter the books need, now. */
export async function readCountersNow(endpoints: CollectorEndpoints): Promise<CollectorCounters> {
  const out: CollectorCounters = {
    kernel: await readKernel(endpoints.statsd?.udpPort ?? null, endpoints.kernelProcDir),
  };
  if (endpoints.statsd) out.statsd = await readStatsdCounters(endpoints.statsd.metricsUrl);
  if (endpoints.otlp) out.otlp = await readOtelcolCounters(endpoints.otlp.telemetryMetricsUrl);
  return out;
}

/** The statsd_exporter counters the books need, read straight from its /metrics. */
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
 * The kernel UDP counters of the collectors' network namespace (`procDir`: `/proc` when they share
 * this one, `/proc/<pid>` of a process in theirs), and the drop counter of the socket bound to `port`.
 */
export async function readKernel(
  port: number | null,
  procDir = '/proc',
): Promise<Reading<UdpCounterReading>> {
  return reading(
    port === null ? `${procDir}/net/snmp Udp` : `${procDir}/net/snmp Udp + ${procDir}/net/udp port ${port}`,
    async () => {
      const { counters, reading: r } = await readKernelUdp(procDir, port === null ? [] : [port]);
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

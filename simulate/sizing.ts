/**
 * What the model needs beyond the spec, each stated in the output with where it came from: the
 * collectors' sizing (not yet in the spec; the CLI's flags, with the defaults below) and the rates and
 * costs of the collectors and producers (the calibration: from measured reports when `--calibrate` names
 * some, else the defaults below, each marked uncalibrated with its reason). calibration.ts replaces
 * defaults with measured values; model.ts reads both.
 */
import { PRODUCER_DEFAULTS } from '../loadgen/producer.ts';

/** A model parameter and where its value came from. */
export interface Parameter {
  value: number;
  /** `report <file>: <how>` or `default: <why this value>`. */
  source: string;
  calibrated: boolean;
}

/** The collectors' sizing and the fleet's layout. */
export interface Sizing {
  /** net.core.rmem_max: the kernel caps SO_RCVBUF at it (then doubles it for bookkeeping). */
  rmemMaxBytes: number;
  /** Cores the subject Prometheus may use for scraping and parsing. */
  prometheusCores: number;
  /** Cores otelcol may use. */
  otelcolCores: number;
  /** otelcol memory_limiter limit_mib and spike_limit_mib (the soft limit is their difference). */
  otelcolMemoryLimitMiB: number;
  otelcolSpikeLimitMiB: number;
  /** otelcol's batch processor timeout: how long accepted points wait in memory. */
  otelcolBatchTimeoutMs: number;
  /** The subject Prometheus's FQDN and external labels: its scrape offset seed. */
  prometheusFqdn: string;
  externalLabels: Record<string, string>;
  /** The producer's generation tick: how often a process sends what its producers generated. */
  producerTickMs: number;
}

/** Defaults: the local runtime's own settings where it has them. */
export const DEFAULT_SIZING: Sizing = {
  rmemMaxBytes: 4_194_304,
  prometheusCores: 2,
  otelcolCores: 1,
  // collectors/otelcol-config.ts renders these when the runtime passes none.
  otelcolMemoryLimitMiB: 512,
  otelcolSpikeLimitMiB: 128,
  otelcolBatchTimeoutMs: 200,
  prometheusFqdn: 'localhost',
  externalLabels: {},
  producerTickMs: PRODUCER_DEFAULTS.tickMs,
};

/** The rates and costs the model runs on. */
export interface Calibration {
  /** Datagrams per second statsd_exporter takes off its socket. */
  statsdDrainPerSecond: Parameter;
  /** Bytes the kernel adds to a payload before rounding it up to a power-of-two slab (its skb truesize; udp-queue.ts). */
  datagramOverheadBytes: Parameter;
  /** Datagrams per second one producer process puts on the wire back to back. */
  senderDatagramsPerSecond: Parameter;
  /** What each payload byte adds to a send (big datagrams leave a sender more slowly), seconds per byte. */
  senderSecondsPerByte: Parameter;
  /** Scrape time of an empty body, seconds. */
  scrapeBaseSeconds: Parameter;
  /** Bytes per second one scrape proceeds at (render, transfer, parse), on one core. */
  scrapeBytesPerSecond: Parameter;
  /** What the slowest 1% of scrapes add beyond the body's time (scheduling on a busy host): p99 − p50. */
  scrapeTailSeconds: Parameter;
  /** otelcol CPU seconds per export request. */
  otlpRequestSeconds: Parameter;
  /** otelcol memory per distinct series its Prometheus exporter holds, and per point waiting in a batch. */
  otelcolBytesPerSeries: Parameter;
  otelcolBytesPerPoint: Parameter;
  /** The reports the calibration came from (empty: defaults only). */
  reports: string[];
}

const def = (value: number, why: string): Parameter => ({
  value,
  source: `default: ${why}`,
  calibrated: false,
});

/** The uncalibrated defaults. */
export function defaultCalibration(): Calibration {
  return {
    statsdDrainPerSecond: def(100_000, 'assumed; no report measured statsd_exporter at saturation'),
    datagramOverheadBytes: def(
      384,
      'assumed: headroom and skb_shared_info a Linux skb adds before its power-of-two slab (768 B of buffer for a small datagram, 2,304 B for a 1,389 B one)',
    ),
    senderDatagramsPerSecond: def(
      118_000,
      'docs/benchmarks.md `bench emit`: statsd perEvent 16.9 µs per event, two datagrams each',
    ),
    senderSecondsPerByte: def(
      0,
      'not fitted: it takes two runs with kernel drops and different datagram sizes',
    ),
    scrapeBaseSeconds: def(0.002, 'assumed; no report with pull scrapes given'),
    scrapeBytesPerSecond: def(50e6, 'assumed; no report with pull scrapes given'),
    scrapeTailSeconds: def(0, 'none assumed; no report with pull scrapes given'),
    otlpRequestSeconds: def(0.0005, 'assumed; no report with OTLP exports given'),
    otelcolBytesPerSeries: def(1024, 'assumed; reports carry no otelcol memory figure'),
    otelcolBytesPerPoint: def(512, 'assumed; reports carry no otelcol memory figure'),
    reports: [],
  };
}

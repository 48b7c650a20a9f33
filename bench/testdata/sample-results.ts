/**
 * Synthetic worker results for the bench's unit tests: fixed samples (nanoseconds per event) and sink
 * reports, so assembly, goals and rendering are tested without running anything.
 */
import type { LedgerTotals } from '../../loadgen/ledger.ts';
import type { BenchCase } from '../cases.ts';
import type { SinkReport, WorkerResult } from '../protocol.ts';

const TOTALS: LedgerTotals = {
  producers: 50,
  eventsGenerated: 1_000_000,
  eventsSkippedOnJoin: 0,
  metricUpdates: 2_000_000,
  datagramsSent: 0,
  bytesSent: 0,
  sendErrors: 0,
  exportsOk: 0,
  exportsFailed: 0,
  pointsExported: 0,
  scrapesServed: 0,
  scheduleLagMaxEvents: 0,
  scheduleLagNowEvents: 0,
  rigLimitedProducers: 0,
};

/** One worker result: every layer's samples are `ns` scaled per layer, the rate is `rate`. */
export function sampleResult(
  c: BenchCase,
  repeat: number,
  libraryNs: number[],
  rigNs: number[],
  rate: number,
  sink: SinkReport,
): WorkerResult {
  return {
    event: 'result',
    case: c,
    repeat,
    pid: 1000 + repeat,
    perEvent: {
      batchEvents: 1000,
      producers: 50,
      onCpuShare: 0.97,
      samplesNs: {
        baseline: libraryNs.map(() => 20),
        generator: libraryNs.map(() => 130),
        library: libraryNs,
        rig: rigNs,
        ...(c.mode === 'perEvent' ? { floor: libraryNs.map(() => 9000) } : {}),
      },
    },
    throughput: {
      seconds: 5,
      events: rate * 5,
      eventsPerSecond: rate,
      cpuSeconds: 5,
      totals: TOTALS,
      errors: [],
      sink,
    },
  };
}

export const UDP_KEPT_UP: Extract<SinkReport, { kind: 'udp' }> = {
  kind: 'udp',
  datagramsSent: 42_000,
  sendErrors: 0,
  received: 42_000,
  socketDrops: 0,
  rcvbufErrors: 0,
  privateNetns: true,
  recvBufferSize: 425_984,
  unaccounted: 0,
};

export const UDP_LOST: Extract<SinkReport, { kind: 'udp' }> = {
  ...UDP_KEPT_UP,
  datagramsSent: 180_000,
  received: 169_907,
  socketDrops: 10_093,
  rcvbufErrors: 10_093,
};

export const SCRAPES_OK: Extract<SinkReport, { kind: 'scrape' }> = {
  kind: 'scrape',
  scrapes: 50,
  ok: 50,
  failed: 0,
  timeouts: 0,
  maxSeconds: 0.133,
  bytes: 12_000_000,
  intervalSeconds: 5,
  timeoutSeconds: 4,
};

export const OTLP_OK: Extract<SinkReport, { kind: 'otlp' }> = {
  kind: 'otlp',
  exportsOk: 50,
  exportsFailed: 0,
  pointsExported: 33_600,
  requestsReceived: 50,
};

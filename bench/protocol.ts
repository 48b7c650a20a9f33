/**
 * What bench/emit.ts tells a bench worker (bench/worker.ts) and what the worker answers: one case, one
 * repeat, in a fresh process. Types only.
 */

import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import type { BenchCase } from './cases.ts';

/**
 * The per-event layers: baseline (in-memory counter add), generator (the rig's schedule, event generation
 * and ledger recording nothing), library (the client library alone), rig (the producer's generator + arm +
 * ledger), and for statsd perEvent the floor (a bare connected UDP socket sending the same datagrams).
 */
export type LayerName = 'baseline' | 'generator' | 'library' | 'rig';

/** How per-event cost is sampled. */
export interface PerEventSettings {
  /** Events per timed batch (over all virtual producers; rounded up to a multiple of them). */
  batchEvents: number;
  warmupRounds: number;
  maxRounds: number;
  /** Time budget of the measured rounds, in milliseconds. */
  maxMs: number;
}

/** The bench's UDP sink (statsd cases), as the worker reaches it. */
export interface UdpSinkPorts {
  /** Per-event layers send here. */
  perEventPort: number;
  /** The throughput run sends here; its datagrams are the ones accounted for. */
  throughputPort: number;
  controlPort: number;
  /** The sink's receive buffer as the kernel granted it (bytes). */
  recvBufferSize: number;
  /** True when sink and worker share a private network namespace: its kernel counters are the bench's alone. */
  privateNetns: boolean;
}

/** The bench's OTLP sink (otlp cases). */
export interface OtlpSinkPorts {
  httpPort: number;
  grpcPort: number;
}

/** A worker's task. */
export interface WorkerConfig {
  case: BenchCase;
  repeat: number;
  /** The bench spec (bench/bench-spec.ts), validated. */
  spec: ExperimentSpec;
  perEvent: PerEventSettings;
  /** Unthrottled generation before the measured window, in seconds (JIT, sockets, first exports). */
  warmSeconds: number;
  /** The measured window of the throughput run, in seconds. */
  seconds: number;
  udp?: UdpSinkPorts;
  otlp?: OtlpSinkPorts;
}

/** What the sink side saw of the throughput run. */
export type SinkReport =
  | {
      kind: 'udp';
      /** Datagrams the kernel accepted from the producer (its ledger). */
      datagramsSent: number;
      sendErrors: number;
      /** Datagrams the sink process read. */
      received: number;
      /** Drops counted on the sink's socket (/proc/net/udp `drops`). */
      socketDrops: number;
      /** The namespace's Udp RcvbufErrors delta (/proc/net/snmp); only the bench's when privateNetns. */
      rcvbufErrors: number;
      privateNetns: boolean;
      recvBufferSize: number;
      /** sent - received - socketDrops: must be 0 for the books to close. */
      unaccounted: number;
    }
  | {
      kind: 'otlp';
      exportsOk: number;
      exportsFailed: number;
      pointsExported: number;
      /** Export requests the sink answered. */
      requestsReceived: number;
    }
  | {
      kind: 'scrape';
      scrapes: number;
      ok: number;
      failed: number;
      timeouts: number;
      maxSeconds: number;
      bytes: number;
      intervalSeconds: number;
      timeoutSeconds: number;
    };

/** The throughput run of one worker. */
export interface ThroughputResult {
  /** Length of the measured window (seconds, from the monotonic clock). */
  seconds: number;
  /** Events generated in the window. */
  events: number;
  eventsPerSecond: number;
  /** CPU time of the whole worker process (all threads, user + system) in the window, seconds. */
  cpuSeconds: number;
  /** The producer's totals after its drain (the whole run, warm-up included). */
  totals: LedgerTotals;
  /** The producer's error lines, if any. */
  errors: string[];
  sink: SinkReport;
}

/** The one result line a worker prints. */
export interface WorkerResult {
  event: 'result';
  case: BenchCase;
  repeat: number;
  pid: number;
  perEvent: {
    /** Events per timed batch (a multiple of the producers). */
    batchEvents: number;
    producers: number;
    /** Thread CPU time over wall time of the timed batches (1: the worker was never preempted). */
    onCpuShare: number | null;
    /** Nanoseconds per event, one sample per batch, per layer (floor: statsd perEvent only). */
    samplesNs: Record<LayerName, number[]> & { floor?: number[] };
  };
  throughput: ThroughputResult;
}

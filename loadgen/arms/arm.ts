/**
 * The contract between the generation loop and a collection arm. One producer process hosts N virtual
 * producers of one arm; the arm owns their clients (a prom-client Registry, a hot-shots client, an OTel
 * MeterProvider each) and writes what it sent into each producer's ledger. Implementations: pull.ts,
 * statsd.ts, otlp.ts; chosen by create-arm.ts.
 */

import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import type { Clock } from '../../schedule/timeline.ts';
import type { LabelVocabulary } from '../labels.ts';
import type { ProcessBooks, ProducerLedger } from '../ledger.ts';
import type { OrderEvent } from '../order-events.ts';

/** Records one virtual producer's events through the arm's client. */
export interface ArmSink {
  /** Records one event (2 metric updates). Must not keep `event`: the loop reuses the object. */
  record(event: OrderEvent): void;
}

/** What every arm gets from the producer process. */
export interface ArmContext {
  spec: ExperimentSpec;
  /** The process's virtual producers, index-aligned with `ledgers`. */
  producerIds: readonly string[];
  /** Fleet-wide index of each producer (seeds per producer come from it). */
  producerIndexes: readonly number[];
  ledgers: readonly ProducerLedger[];
  vocabulary: LabelVocabulary;
  /** Latency histogram upper bounds, in seconds. */
  buckets: readonly number[];
  clock: Clock;
  /**
   * The process's own books (export timings, send slots), served in the ledger document. Callers that do
   * not serve a ledger (the bench's layers) may leave it out; the arm then keeps books nobody reads.
   */
  processBooks?: ProcessBooks;
}

/** Endpoints an arm opened. */
export interface ArmEndpoints {
  /** pull: the port of the one HTTP server serving /targets/<producerId>/metrics. */
  metricsPort?: number;
}

/** A collection arm hosting the process's virtual producers. */
export interface Arm {
  /** One sink per producer, index-aligned with ArmContext.producerIds. */
  readonly sinks: readonly ArmSink[];
  /** Short description of the arm's mode for the ledger, e.g. `perEvent` or `grpc/cumulative`. */
  readonly mode: string;
  /** Opens servers and sockets. */
  start(): Promise<ArmEndpoints>;
  /**
   * The schedule now trades `symbols` symbols. Arms whose clients hold series state (pull, otlp) declare
   * the new series, so a target's /metrics body follows the phase, not the luck of which labels were drawn.
   */
  declareSymbols(symbols: number): void;
  /** Pushes out whatever is buffered now (end of load), without closing. */
  flush(): Promise<void>;
  /** Final flush/export, then closes everything; after it resolves the ledgers are final. */
  shutdown(): Promise<void>;
}

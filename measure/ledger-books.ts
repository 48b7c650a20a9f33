/**
 * Merges the process-level books of the producers' ledger documents (export-latency histograms, export
 * retries and requests, send slots) into the measurement's LedgerBooks, the same way for both runtimes: local/rehearsal.ts
 * passes its final ledgers and the slot book its polls filled, the operator's collect step the ledgers it
 * read once. A process without a ledger, or a ledger without the field, makes that reading missing with
 * the process named. Pure.
 */

import type { ArmName } from '../api/v1alpha1/schema.ts';
import { newAttemptBooks, type OtlpAttemptBooks } from '../loadgen/arms/otlp-attempts.ts';
import { type LatencyHistogram, mergeLatencyHistograms } from '../loadgen/latency-histogram.ts';
import type { LedgerDocument } from '../loadgen/ledger.ts';
import { fleetSlotTotals, mergeSlots, type SlotBook, type SlotCount } from '../loadgen/send-slots.ts';
import type { LedgerBooks, Reading } from './inputs.ts';

/** One producer process as the runtime knows it: its name (`arm/index`) and the ledger it read, if any. */
export interface ProcessLedger {
  name: string;
  arm: ArmName;
  /** The ledger read (final, locally); null when none could be read. */
  doc: LedgerDocument | null;
}

export const EXPORT_LATENCY_SOURCE = 'producer ledgers: exportLatencyBuckets (final), merged over the fleet';
export const EXPORT_RETRIES_SOURCE =
  "producer ledgers: exportRetries (final), requests the exporter's transport sent again";
export const EXPORT_ATTEMPTS_SOURCE =
  "producer ledgers: exportAttempts (final), every request the exporters' transports sent, summed";
export const SENT_SLOTS_SOURCE =
  'producer ledgers: datagrams sent per wall-clock 100 ms slot, summed over the fleet';

/**
 * The first process whose ledger is absent or lacks `field`, with the reason; null when every one has it.
 * Ledgers from producers older than the field have it undefined.
 */
function firstLacking(
  processes: readonly ProcessLedger[],
  field: 'exportLatencyBuckets' | 'exportRetries' | 'exportAttempts',
  absent: string,
): string | null {
  for (const p of processes) {
    if (!p.doc) return `producer ${p.name} left no ledger the runtime could read`;
    if (p.doc[field] === undefined)
      return `the ledger of producer ${p.name} has no ${field} (an older producer)`;
    if (p.doc[field] === null) return `producer ${p.name}: ${absent}`;
  }
  return null;
}

function latencyReading(otlp: readonly ProcessLedger[]): Reading<LatencyHistogram> {
  const lacking = firstLacking(otlp, 'exportLatencyBuckets', 'its ledger kept no export timings');
  if (lacking) return { value: null, source: EXPORT_LATENCY_SOURCE, missing: lacking };
  try {
    const merged = mergeLatencyHistograms(otlp.map((p) => p.doc!.exportLatencyBuckets!));
    return { value: merged, source: EXPORT_LATENCY_SOURCE };
  } catch (err) {
    return { value: null, source: EXPORT_LATENCY_SOURCE, missing: (err as Error).message };
  }
}

function retriesReading(otlp: readonly ProcessLedger[]): Reading<number> {
  const lacking = firstLacking(
    otlp,
    'exportRetries',
    "the exporter's transport was not found where @opentelemetry/otlp-exporter-base keeps it (OTLPExporterBase._delegate._transport, see node_modules/@opentelemetry/otlp-exporter-base/build/src/otlp-export-delegate.js), so its retries could not be counted",
  );
  if (lacking) return { value: null, source: EXPORT_RETRIES_SOURCE, missing: lacking };
  return { value: otlp.reduce((n, p) => n + (p.doc!.exportRetries ?? 0), 0), source: EXPORT_RETRIES_SOURCE };
}

function attemptsReading(otlp: readonly ProcessLedger[]): Reading<OtlpAttemptBooks> {
  const lacking = firstLacking(
    otlp,
    'exportAttempts',
    "the exporter's transport was not found where @opentelemetry/otlp-exporter-base keeps it, so its requests could not be counted",
  );
  if (lacking) return { value: null, source: EXPORT_ATTEMPTS_SOURCE, missing: lacking };
  const sum = newAttemptBooks();
  for (const p of otlp) {
    const books = p.doc!.exportAttempts!;
    for (const key of Object.keys(sum) as (keyof OtlpAttemptBooks)[]) sum[key] += books[key];
  }
  return { value: sum, source: EXPORT_ATTEMPTS_SOURCE };
}

/**
 * The fleet's LedgerBooks. `slots` holds what earlier reads (the local runner's polls) found; the ledgers
 * given here are merged into it (merging a slot twice changes nothing), so a process whose final ledger is
 * missing still contributes the slots its last poll held.
 */
export function fleetLedgerBooks(
  processes: readonly ProcessLedger[],
  slots: SlotBook = new Map(),
): LedgerBooks {
  const books: LedgerBooks = {};
  const otlp = processes.filter((p) => p.arm === 'otlp');
  if (otlp.length > 0) {
    books.otlpExportLatency = latencyReading(otlp);
    books.otlpExportRetries = retriesReading(otlp);
    books.otlpExportAttempts = attemptsReading(otlp);
  }
  const statsd = processes.filter((p) => p.arm === 'statsd');
  if (statsd.length > 0) {
    for (const p of statsd) if (p.doc?.sentPer100ms) mergeSlots(slots, p.name, p.doc.sentPer100ms.slots);
    const totals: SlotCount[] = fleetSlotTotals(slots);
    books.statsdSentPer100ms =
      slots.size > 0
        ? { value: totals, source: SENT_SLOTS_SOURCE }
        : {
            value: null,
            source: SENT_SLOTS_SOURCE,
            missing: 'no statsd producer ledger with send slots was read',
          };
  }
  return books;
}

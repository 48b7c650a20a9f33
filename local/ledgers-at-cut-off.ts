/**
 * The local runtime's ledger books at the cut-off, from the final ledgers the producers wrote: totals
 * per arm (unknown for an arm with a missing final ledger), the process-level books (export latency,
 * retries, send slots merged with the ones polled during the run), and the ledger series — from the
 * producers' own per-second history, as in a cluster, or from the polls for an arm whose history is
 * incomplete (a producer died). Pure; local/rehearsal.ts calls it when the producers have stopped.
 */
import type { ArmName } from '../api/v1alpha1/schema.ts';
import { type LedgerDocument, type LedgerTotals, sumLedgerTotals } from '../loadgen/ledger.ts';
import type { SlotBook } from '../loadgen/send-slots.ts';
import type { LedgerBooks, LedgerPoint, MeasurementInput } from '../measure/inputs.ts';
import { fleetLedgerBooks, type ProcessLedger } from '../measure/ledger-books.ts';
import { fleetLedgerSeries } from '../measure/ledger-series.ts';
import type { ProducerProcess } from './producer-fleet.ts';

/** What the books need of a producer process. */
export type FleetMember = Pick<ProducerProcess, 'arm' | 'name'>;

/** Each process with its final ledger (null: none), as measure/ledger-books.ts takes them. */
export function processLedgers<P extends FleetMember>(
  fleet: readonly P[],
  finals: ReadonlyMap<P, LedgerDocument | null>,
): ProcessLedger[] {
  return fleet.map((p) => ({ name: p.name, arm: p.arm, doc: finals.get(p) ?? null }));
}

/**
 * Final totals per arm from stopFleet's result: null for an arm in which any producer left no final
 * ledger (a partial sum would read as the arm's total).
 */
export function finalArmTotals<P extends FleetMember>(
  fleet: readonly P[],
  finals: ReadonlyMap<P, LedgerDocument | null>,
): Partial<Record<ArmName, LedgerTotals | null>> {
  const out: Partial<Record<ArmName, LedgerTotals | null>> = {};
  for (const arm of new Set(fleet.map((p) => p.arm))) {
    const docs = fleet.filter((p) => p.arm === arm).map((p) => finals.get(p) ?? null);
    out[arm] = docs.some((d) => d === null)
      ? null
      : sumLedgerTotals(docs.map((d) => (d as LedgerDocument).totals));
  }
  return out;
}

export interface LedgersAtCutOff {
  ledgerFinal: MeasurementInput['ledgerFinal'];
  ledgerSeries: Partial<Record<ArmName, LedgerPoint[]>>;
  ledgerBooks: LedgerBooks;
}

/** The books of the fleet from its final ledgers (null: none written) and what was polled on the way. */
export function ledgersAtCutOff<P extends FleetMember>(
  fleet: readonly P[],
  finals: ReadonlyMap<P, LedgerDocument | null>,
  slotBook: SlotBook,
  polledSeries: Partial<Record<ArmName, LedgerPoint[]>>,
): LedgersAtCutOff {
  const processes = processLedgers(fleet, finals);
  const history = fleetLedgerSeries(processes);
  const ledgerSeries: Partial<Record<ArmName, LedgerPoint[]>> = {};
  for (const arm of new Set(fleet.map((p) => p.arm))) {
    const series = history[arm] ?? polledSeries[arm];
    if (series) ledgerSeries[arm] = series;
  }
  return {
    ledgerFinal: finalArmTotals(fleet, finals),
    ledgerSeries,
    ledgerBooks: fleetLedgerBooks(processes, slotBook),
  };
}

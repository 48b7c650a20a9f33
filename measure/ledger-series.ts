/**
 * The ledger series of each arm from the producers' own per-second history (loadgen/ledger-history.ts),
 * read once after the drain: the processes' totals added up for every second that all of an arm's
 * processes recorded (a second some process lacks would read as a partial total, so it is left out).
 * The operator draws its ledger charts from this; the local runtime polls and gets the same shape.
 */
import type { ArmName } from '../api/v1alpha1/schema.ts';
import { type LedgerTotals, sumLedgerTotals } from '../loadgen/ledger.ts';
import type { LedgerPoint } from './inputs.ts';
import type { ProcessLedger } from './ledger-books.ts';

/** Per arm, the summed totals per second; an arm with an unread ledger or no history has no series. */
export function fleetLedgerSeries(
  processes: readonly ProcessLedger[],
): Partial<Record<ArmName, LedgerPoint[]>> {
  const out: Partial<Record<ArmName, LedgerPoint[]>> = {};
  for (const arm of new Set(processes.map((p) => p.arm))) {
    const docs = processes.filter((p) => p.arm === arm).map((p) => p.doc);
    if (docs.some((d) => !d?.totalsPerSecond?.length)) continue;
    const bySecond = new Map<number, LedgerTotals[]>();
    for (const d of docs) {
      for (const [t, totals] of d!.totalsPerSecond!) {
        const list = bySecond.get(t);
        if (list) list.push(totals);
        else bySecond.set(t, [totals]);
      }
    }
    out[arm] = [...bySecond.entries()]
      .filter(([, list]) => list.length === docs.length)
      .sort(([a], [b]) => a - b)
      .map(([t, list]) => [t, sumLedgerTotals(list)]);
  }
  return out;
}

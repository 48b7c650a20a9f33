/**
 * The producer's own record of its totals over time: one snapshot per wall-clock second, kept in a bounded
 * ring and served in the ledger document. One read of the ledger after the drain then gives the whole
 * series, so a runtime that cannot poll every second (the operator, level-based) still draws the ledger
 * charts, from the same data the local runtime polls.
 */
import type { LedgerTotals } from './ledger.ts';

/** [unix second, the process's totals at that second]. */
export type TotalsAt = [number, LedgerTotals];

export interface TotalsHistory {
  /** Records `totals` at `nowMs` (the second it falls in; a second already recorded is replaced). */
  record(nowMs: number, totals: LedgerTotals): void;
  /** Oldest first. */
  snapshot(): TotalsAt[];
}

/** A history holding the last `capacity` seconds. */
export function newTotalsHistory(capacity: number): TotalsHistory {
  const cap = Math.max(1, Math.floor(capacity));
  const ring: TotalsAt[] = [];
  return {
    record(nowMs, totals) {
      const second = Math.floor(nowMs / 1000);
      const last = ring[ring.length - 1];
      if (last && last[0] === second) ring[ring.length - 1] = [second, { ...totals }];
      else ring.push([second, { ...totals }]);
      if (ring.length > cap) ring.splice(0, ring.length - cap);
    },
    snapshot: () => ring.map(([t, v]) => [t, { ...v }]),
  };
}

/**
 * Datagrams sent per wall-clock 100 ms slot (slot = floor(epoch ms / 100)). Every statsd producer process
 * counts the datagrams its socket accepted into a bounded ring of slots (loadgen/arms/statsd.ts); the ledger
 * document serves the ring as [slot, count] pairs. Because slots sit on the wall clock, the counts of every
 * process and pod add up per slot: that sum is what shows synchronised flushes piling up. The runtimes merge
 * what they read into a SlotBook (local/rehearsal.ts at each poll, the operator once) and measure/ takes the
 * busiest slot. Pure.
 */

/** Width of a slot in milliseconds. */
export const SLOT_MS = 100;

/** Slots a ring keeps at least (one minute) and at most (one hour: a ledger document stays under ~1 MB). */
export const MIN_SLOT_CAPACITY = 600;
export const MAX_SLOT_CAPACITY = 36_000;

/** [slot, datagrams sent in it]. */
export type SlotCount = [slot: number, count: number];

/** A bounded ring: slot s lives in cell s mod capacity until a later slot takes the cell. */
export interface SlotRing {
  capacity: number;
  slots: Float64Array;
  counts: Float64Array;
  /** Datagrams counted in slots the ring has since let go (a later slot took their cell). */
  evicted: number;
}

/** The ledger document's form of a ring. */
export interface SentSlots {
  slotMs: typeof SLOT_MS;
  capacity: number;
  /** Non-empty slots the ring still holds, ascending. */
  slots: SlotCount[];
  /** Datagrams in slots no longer held: sum(slots) + evicted = datagrams counted. */
  evicted: number;
}

/**
 * Ring size for a schedule of `seconds` (load + drain): the whole schedule plus a minute for the final
 * flush, so the one read the operator makes after the drain still holds the burst; within the bounds above.
 */
export function slotCapacityFor(seconds: number): number {
  const wanted = Math.ceil((Math.max(0, seconds) * 1000) / SLOT_MS) + MIN_SLOT_CAPACITY;
  return Math.min(MAX_SLOT_CAPACITY, Math.max(MIN_SLOT_CAPACITY, wanted));
}

export function newSlotRing(capacity: number): SlotRing {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`slot ring capacity: ${capacity} is not allowed; expected a positive integer`);
  }
  return {
    capacity,
    slots: new Float64Array(capacity).fill(-1),
    counts: new Float64Array(capacity),
    evicted: 0,
  };
}

/** The slot of a wall-clock instant. */
export function slotOf(epochMs: number): number {
  return Math.floor(epochMs / SLOT_MS);
}

/** Counts `n` datagrams in `slot`. A slot older than its cell's holder is already gone: counted as evicted. */
export function recordSlot(ring: SlotRing, slot: number, n = 1): void {
  const i = slot % ring.capacity;
  const held = ring.slots[i] as number;
  if (held === slot) {
    ring.counts[i] = (ring.counts[i] as number) + n;
  } else if (slot > held) {
    ring.evicted += ring.counts[i] as number;
    ring.slots[i] = slot;
    ring.counts[i] = n;
  } else {
    ring.evicted += n;
  }
}

/** A snapshot of the ring for the ledger document. */
export function sentSlotsOf(ring: SlotRing): SentSlots {
  const slots: SlotCount[] = [];
  for (let i = 0; i < ring.capacity; i++) {
    const c = ring.counts[i] as number;
    if (c > 0) slots.push([ring.slots[i] as number, c]);
  }
  slots.sort((a, b) => a[0] - b[0]);
  return { slotMs: SLOT_MS, capacity: ring.capacity, slots, evicted: ring.evicted };
}

/** What a runtime has read of each process's slots: process name → slot → count. */
export type SlotBook = Map<string, Map<number, number>>;

/**
 * Merges one read of a process's slots into the book. A slot's count only grows (a later read also holds
 * the datagrams whose send callbacks came late), so the larger count wins: reading the same ledger twice,
 * or a poll and then the final ledger, changes nothing; slots a later read no longer holds are kept.
 */
export function mergeSlots(book: SlotBook, process: string, slots: readonly SlotCount[]): void {
  let own = book.get(process);
  if (!own) {
    own = new Map();
    book.set(process, own);
  }
  for (const [slot, count] of slots) own.set(slot, Math.max(own.get(slot) ?? 0, count));
}

/** Per slot, the sum over every process in the book, ascending by slot. */
export function fleetSlotTotals(book: SlotBook): SlotCount[] {
  const sums = new Map<number, number>();
  for (const own of book.values()) {
    for (const [slot, count] of own) sums.set(slot, (sums.get(slot) ?? 0) + count);
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]);
}

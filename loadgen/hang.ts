/**
 * A hung producer on command (`POST /hang`): its event loop blocks, so it stops answering scrapes, ledger
 * reads and sends while its sockets stay open — what a stuck process looks like to a scraper. The block is
 * real (Atomics.wait), not a flag the producer's own code could skip. Started a moment after the answer,
 * so the caller hears it was accepted.
 */

/** Blocks this thread for `ms` milliseconds, a moment from now. */
export function hangSoon(ms: number, afterMs = 50): void {
  setTimeout(() => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  }, afterMs);
}

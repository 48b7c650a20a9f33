/**
 * Closes the books of a push arm: sent = received + kernel drops + collector-queue drops (+ network
 * drops, when a game day's network faults were on the path) + unaccounted.
 * `unaccounted` must be 0 on a quiet loopback; anything else is reported as a rig fault, and any input
 * the rig could not read leaves the books open with the reason — never a guessed zero.
 */
import type { Figure, PushBooks } from '../report/types.ts';

export interface BooksInput {
  sent: Figure;
  received: Figure;
  kernelDrops: Figure;
  collectorQueueDrops: Figure;
  /** The network faults' rule counters; absent without network faults on the arm's path. */
  networkDrops?: Figure;
}

export function closeBooks(input: BooksInput): PushBooks {
  const parts = [input.sent, input.received, input.kernelDrops, input.collectorQueueDrops];
  if (input.networkDrops) parts.push(input.networkDrops);
  const missing = parts.filter((f) => f.value === null);
  const source = `sent − received − kernelDrops − collectorQueueDrops${input.networkDrops ? ' − networkDrops' : ''}`;
  if (missing.length > 0) {
    return {
      ...input,
      unaccounted: {
        value: null,
        unit: 'datagrams',
        source,
        missing: `cannot close the books without ${missing.map((f) => f.source).join(', ')}`,
      },
      closed: false,
    };
  }
  const [sent, received, kernel, queue, network = 0] = parts.map((f) => f.value as number) as [
    number,
    number,
    number,
    number,
    number?,
  ];
  const unaccounted = sent - received - kernel - queue - network;
  return {
    ...input,
    unaccounted: { value: unaccounted, unit: 'datagrams', source },
    closed: unaccounted === 0,
  };
}

/** Loss ratio (kernel + queue (+ network) drops over sent); null when the books could not be read. */
export function lossRatio(books: PushBooks): Figure {
  const sent = books.sent.value;
  const k = books.kernelDrops.value;
  const q = books.collectorQueueDrops.value;
  const net = books.networkDrops;
  const n = net ? net.value : 0;
  const source = net
    ? '(kernelDrops + collectorQueueDrops + networkDrops) / sent'
    : '(kernelDrops + collectorQueueDrops) / sent';
  if (sent === null || k === null || q === null || n === null) {
    return { value: null, unit: 'ratio', source, missing: 'a term of the books is missing' };
  }
  return { value: sent === 0 ? 0 : (k + q + n) / sent, unit: 'ratio', source };
}

/**
 * The statsd cases' "library alone" layer: per virtual producer a hot-shots client with the statsd arm's
 * options, sending to the bench's UDP sink (another process) on loopback.
 * - perEvent and buffered: `increment(orders, 1, tags)` and `timing(order_latency, ms, tags)` per event,
 *   with the same tag lists; a full buffer is sent inside the batch, so its cost is in the figure;
 * - aggregated: the hot path is the application's own in-memory aggregation (a count per series and the
 *   latencies per series, the arm's data structures), shipped through hot-shots every flushIntervalMs by a
 *   timer, which runs between timed batches as the arm's flush does.
 * Called by bench/per-event.ts.
 */
import type { StatsD } from 'hot-shots';
import StatsDClient from 'hot-shots';
import type { StatsdArm } from '../api/v1alpha1/schema.ts';
import type { HostPort } from '../loadgen/address.ts';
import {
  COUNTER_NAME,
  multiValueTimerLines,
  statsdTagTables,
  TIMER_NAME,
} from '../loadgen/arms/statsd-lines.ts';
import { type BenchLayer, type LayerContext, ringCursor } from './layer.ts';

/** hot-shots' internal queueing of a pre-formatted line, which the statsd arm uses for multi-value timers. */
interface LineSender {
  send(line: string): void;
}

const CLOSE_TIMEOUT_MS = 5000;

/** Builds the hot-shots layer for the arm settings' mode, sending to `target`. */
export function libraryStatsdLayer(ctx: LayerContext, settings: StatsdArm, target: HostPort): BenchLayer {
  const tags = statsdTagTables(ctx.series, ctx.vocabulary);
  const mode = settings.mode;
  const clients = ctx.rings.map(
    () =>
      new StatsDClient({
        host: target.host,
        port: target.port,
        protocol: 'udp',
        maxBufferSize: mode === 'perEvent' ? 0 : settings.maxBufferBytes,
        bufferFlushInterval: settings.flushIntervalMs,
        errorHandler: () => {},
      }),
  );
  const next = ringCursor(ctx.rings);
  const k = ctx.eventsPerProducer;

  if (mode !== 'aggregated') {
    return {
      name: 'library',
      runBatch() {
        for (let p = 0; p < ctx.rings.length; p++) {
          const ring = ctx.rings[p]!;
          const client = clients[p]!;
          for (let j = 0; j < k; j++) {
            const i = next(p);
            client.increment(COUNTER_NAME, 1, tags.counter[ring.counter[i]!]);
            client.timing(TIMER_NAME, ring.timerMs[i]!, tags.timer[ring.histogram[i]!]);
          }
        }
        return k * ctx.rings.length;
      },
      close: () => closeClients(clients),
    };
  }

  const counts = ctx.rings.map(() => new Map<number, number>());
  const latencies = ctx.rings.map(() => new Map<number, number[]>());
  const flush = () => {
    clients.forEach((client, p) => {
      for (const [series, n] of counts[p]!) client.increment(COUNTER_NAME, n, tags.counter[series]);
      counts[p]!.clear();
      for (const [series, values] of latencies[p]!) {
        for (const line of multiValueTimerLines(tags.timer[series]!, values, settings.maxBufferBytes))
          (client as unknown as LineSender).send(line);
      }
      latencies[p]!.clear();
      client.flush();
    });
  };
  const timer = setInterval(flush, settings.flushIntervalMs);
  return {
    name: 'library',
    runBatch() {
      for (let p = 0; p < ctx.rings.length; p++) {
        const ring = ctx.rings[p]!;
        const count = counts[p]!;
        const latency = latencies[p]!;
        for (let j = 0; j < k; j++) {
          const i = next(p);
          const c = ring.counter[i]!;
          count.set(c, (count.get(c) ?? 0) + 1);
          const h = ring.histogram[i]!;
          const list = latency.get(h);
          if (list) list.push(ring.timerMs[i]!);
          else latency.set(h, [ring.timerMs[i]!]);
        }
      }
      return k * ctx.rings.length;
    },
    async close() {
      clearInterval(timer);
      flush();
      await closeClients(clients);
    },
  };
}

/** Closes hot-shots clients (each flushes its buffer first), waiting at most CLOSE_TIMEOUT_MS. */
async function closeClients(clients: readonly StatsD[]): Promise<void> {
  const closing = Promise.all(clients.map((c) => new Promise<void>((resolve) => c.close(() => resolve()))));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    closing,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
}

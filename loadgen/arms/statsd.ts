/**
 * StatsD arm: each virtual producer owns a hot-shots client (its own UDP socket) sending to statsd_exporter
 * in the spec's mode (wire format: statsd-lines.ts):
 * - perEvent: one datagram per metric update (maxBufferSize 0), two per order event;
 * - buffered: hot-shots packs updates into datagrams of up to maxBufferBytes and flushes every
 *   flushIntervalMs (its own interval timer per client);
 * - aggregated: the producer sums counters and collects latencies in memory and ships them every
 *   flushIntervalMs at wall-clock instants (flush-schedule.ts): all producers at once without jitter, at
 *   seeded offsets with jitter. The batch goes through hot-shots' buffer, so datagrams are packed the same way.
 *
 * The ledger counts datagrams at the transport: hot-shots hands every datagram to `socket.send(buf, cb)`,
 * which this arm wraps, so `datagramsSent`/`bytesSent` are exactly the datagrams the kernel accepted and
 * `sendErrors` those it refused, whatever the buffering. Each accepted datagram is also counted in the
 * process's wall-clock 100 ms send slot (send-slots.ts), where the fleet's synchronised flushes show.
 */
import type { StatsD } from 'hot-shots';
import StatsDClient from 'hot-shots';
import type { StatsdArm } from '../../api/v1alpha1/schema.ts';
import { HEARTBEAT_METRIC } from '../../collectors/liveness.ts';
import type { Clock } from '../../schedule/timeline.ts';
import type { HostPort } from '../address.ts';
import { flushOffsetMs, nextFlushAtMs } from '../flush-schedule.ts';
import { newProcessBooks, type ProducerLedger } from '../ledger.ts';
import { counterSeriesIndex, histogramSeriesIndex, type OrderEvent } from '../order-events.ts';
import { recordSlot, type SlotRing, slotOf } from '../send-slots.ts';
import type { Arm, ArmContext, ArmEndpoints, ArmSink } from './arm.ts';
import {
  COUNTER_NAME,
  multiValueTimerLines,
  type StatsdTagTables,
  statsdTagTables,
  TIMER_NAME,
  timerMillis,
} from './statsd-lines.ts';

type SendCallback = (err?: Error | null, bytes?: number) => void;

/**
 * The parts of a hot-shots client this arm reaches past the typings for: `socket` is really its transport
 * (`send(buf, cb)` per datagram), and `send(line)` queues a pre-formatted line through the client's buffer
 * (the multi-value timer lines hot-shots has no method for). Both are in lib/statsd.js and lib/transport.js.
 */
interface HotShotsInternals {
  socket: { send(buf: Buffer, cb: SendCallback): void } | undefined;
  send(message: string): void;
}

/** How long shutdown waits for datagrams handed to the socket to report back. */
const DRAIN_TIMEOUT_MS = 5000;

/** One producer's client and, in aggregated mode, its in-memory aggregates. */
interface StatsdProducer {
  client: StatsD;
  ledger: ProducerLedger;
  inFlight: number;
  counts: Map<number, number>;
  latencies: Map<number, number[]>;
  flushOffsetMs: number;
  nextFlushMs: number;
}

/**
 * Wraps the client's transport so every datagram is counted when the kernel accepted or refused it; an
 * accepted one also lands in the slot of the instant its callback ran.
 */
function countDatagrams(p: StatsdProducer, slots: SlotRing, clock: Clock): void {
  const transport = (p.client as unknown as HotShotsInternals).socket;
  if (!transport) throw new Error('statsd: hot-shots did not create a UDP socket');
  const send = transport.send.bind(transport);
  transport.send = (buf: Buffer, cb: SendCallback) => {
    p.inFlight++;
    send(buf, (err, bytes) => {
      p.inFlight--;
      if (err) {
        p.ledger.sendErrors++;
      } else {
        p.ledger.datagramsSent++;
        p.ledger.bytesSent += buf.length;
        recordSlot(slots, slotOf(clock.now()));
      }
      cb(err, bytes);
    });
  };
}

/** Ships one producer's aggregates into its client's buffer and clears them. */
function flushAggregates(p: StatsdProducer, tags: StatsdTagTables, maxBytes: number): void {
  for (const [series, count] of p.counts) p.client.increment(COUNTER_NAME, count, tags.counter[series]);
  p.counts.clear();
  const internals = p.client as unknown as HotShotsInternals;
  for (const [series, values] of p.latencies) {
    for (const line of multiValueTimerLines(tags.timer[series]!, values, maxBytes)) internals.send(line);
  }
  p.latencies.clear();
}

/** Resolves when every producer's datagrams have reported back, or after `timeoutMs`. */
async function waitForInFlight(producers: readonly StatsdProducer[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (producers.some((p) => p.inFlight > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Creates the statsd arm sending to `target` (--statsd). */
export function createStatsdArm(ctx: ArmContext, settings: StatsdArm, target: HostPort): Arm {
  const { series, seed } = ctx.spec;
  const tags = statsdTagTables(series, ctx.vocabulary);
  const mode = settings.mode;
  const producers: StatsdProducer[] = [];
  const slots = (ctx.processBooks ?? newProcessBooks()).sentSlots;
  let flushTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Each producer's heartbeat: how an alert tells a dead StatsD producer from a quiet one. */
  function sendHeartbeats(): void {
    producers.forEach((p, i) => {
      p.client.gauge(HEARTBEAT_METRIC, 1, [`producer:${ctx.producerIds[i]}`]);
      if (mode !== 'perEvent') p.client.flush();
    });
  }

  function makeSink(p: StatsdProducer): ArmSink {
    const { client, ledger } = p;
    if (mode === 'aggregated') {
      return {
        record(e: OrderEvent) {
          const c = counterSeriesIndex(series, e);
          p.counts.set(c, (p.counts.get(c) ?? 0) + 1);
          const h = histogramSeriesIndex(series, e);
          const list = p.latencies.get(h);
          if (list) list.push(timerMillis(e.latencySeconds));
          else p.latencies.set(h, [timerMillis(e.latencySeconds)]);
          ledger.metricUpdates += 2;
        },
      };
    }
    return {
      record(e: OrderEvent) {
        client.increment(COUNTER_NAME, 1, tags.counter[counterSeriesIndex(series, e)]);
        client.timing(TIMER_NAME, timerMillis(e.latencySeconds), tags.timer[histogramSeriesIndex(series, e)]);
        ledger.metricUpdates += 2;
      },
    };
  }

  /** Flushes every aggregated producer whose instant has come, then sleeps until the next one. */
  function runFlushes(): void {
    const now = ctx.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const p of producers) {
      if (p.nextFlushMs <= now) {
        flushAggregates(p, tags, settings.maxBufferBytes);
        p.client.flush();
        p.nextFlushMs = nextFlushAtMs(now, settings.flushIntervalMs, p.flushOffsetMs);
      }
      next = Math.min(next, p.nextFlushMs);
    }
    if (!stopped) flushTimer = setTimeout(runFlushes, Math.max(0, next - ctx.clock.now()));
  }

  ctx.producerIds.forEach((_, i) => {
    const offset = flushOffsetMs(
      seed,
      ctx.producerIndexes[i]!,
      settings.flushIntervalMs,
      settings.flushJitter,
    );
    const client = new StatsDClient({
      host: target.host,
      port: target.port,
      protocol: 'udp',
      maxBufferSize: mode === 'perEvent' ? 0 : settings.maxBufferBytes,
      // In aggregated mode the arm decides when to flush; hot-shots' own timer then only finds an empty buffer.
      bufferFlushInterval: settings.flushIntervalMs,
      closingFlushInterval: 100,
      // Errors are counted per datagram in the ledger; the handler only keeps hot-shots from logging each one.
      errorHandler: () => {},
    });
    const p: StatsdProducer = {
      client,
      ledger: ctx.ledgers[i]!,
      inFlight: 0,
      counts: new Map(),
      latencies: new Map(),
      flushOffsetMs: offset,
      nextFlushMs: nextFlushAtMs(ctx.clock.now(), settings.flushIntervalMs, offset),
    };
    countDatagrams(p, slots, ctx.clock);
    producers.push(p);
  });

  return {
    sinks: producers.map(makeSink),
    mode,
    async start(): Promise<ArmEndpoints> {
      if (mode === 'aggregated') runFlushes();
      if (settings.heartbeatIntervalSeconds > 0) {
        sendHeartbeats();
        heartbeatTimer = setInterval(sendHeartbeats, settings.heartbeatIntervalSeconds * 1000);
      }
      return {};
    },
    declareSymbols() {},
    async flush() {
      for (const p of producers) {
        if (mode === 'aggregated') flushAggregates(p, tags, settings.maxBufferBytes);
        p.client.flush();
      }
      await waitForInFlight(producers, DRAIN_TIMEOUT_MS);
    },
    async shutdown() {
      stopped = true;
      if (flushTimer) clearTimeout(flushTimer);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      for (const p of producers) {
        if (mode === 'aggregated') flushAggregates(p, tags, settings.maxBufferBytes);
      }
      // close() flushes the client's buffer and waits (bounded) for its in-flight datagrams.
      await Promise.all(
        producers.map((p) => new Promise<void>((resolve) => p.client.close(() => resolve()))),
      );
      await waitForInFlight(producers, DRAIN_TIMEOUT_MS);
    },
  };
}

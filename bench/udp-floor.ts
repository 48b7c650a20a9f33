/**
 * The transport floor of the statsd perEvent case: per virtual producer a bare connected UDP socket sending,
 * per event, the two datagrams perEvent sends (the counter line and the timer line of the event's series,
 * pre-built, so nothing is formatted), to the same sink. No client library could send one datagram per
 * update for less; on a machine where a send system call is expensive this floor, not any library, decides
 * whether the perEvent goal is reachable. Called by bench/per-event.ts.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { HostPort } from '../loadgen/address.ts';
import { COUNTER_NAME, statsdTagTables, TIMER_NAME } from '../loadgen/arms/statsd-lines.ts';
import { type BenchLayer, type LayerContext, ringCursor } from './layer.ts';

/** Builds the floor layer sending to `target`. */
export async function udpFloorLayer(ctx: LayerContext, target: HostPort): Promise<BenchLayer> {
  const tags = statsdTagTables(ctx.series, ctx.vocabulary);
  const counterLines = tags.counter.map((t) => Buffer.from(`${COUNTER_NAME}:1|c|#${t.join(',')}`));
  const timerLines = tags.timer.map((t) => Buffer.from(`${TIMER_NAME}:4.123|ms|#${t.join(',')}`));
  const sockets: Socket[] = [];
  try {
    for (let p = 0; p < ctx.rings.length; p++) {
      const socket = createSocket('udp4');
      socket.on('error', () => {});
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(target.port, target.host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    }
  } catch (err) {
    for (const s of sockets) s.close();
    throw err;
  }
  const next = ringCursor(ctx.rings);
  const k = ctx.eventsPerProducer;
  return {
    name: 'floor',
    runBatch() {
      for (let p = 0; p < ctx.rings.length; p++) {
        const ring = ctx.rings[p]!;
        const socket = sockets[p]!;
        for (let j = 0; j < k; j++) {
          const i = next(p);
          socket.send(counterLines[ring.counter[i]!]!);
          socket.send(timerLines[ring.histogram[i]!]!);
        }
      }
      return k * ctx.rings.length;
    },
    async close() {
      for (const s of sockets) s.close();
    },
  };
}

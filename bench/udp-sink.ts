/**
 * The UDP sink of `pushpull bench emit`, run as its own process so that reading datagrams never shares an
 * event loop (or a core's time slice, on two cores) with the sender being measured. Started by bench/emit.ts,
 * possibly inside a private network namespace so the namespace's kernel counters see only the bench's traffic.
 *
 *   node bench/udp-sink.ts RCVBUF_BYTES DATA_SOCKETS
 *
 * Binds DATA_SOCKETS data sockets and one control socket on 127.0.0.1 and prints one JSON line:
 *   {"event":"listening","data":[port,...],"control":port,"recvBufferSize":bytes}
 * A datagram `stats` on the control socket is answered (to its sender) with
 *   {"received":[n,...],"bytes":[n,...],"msSinceLast":[ms,...]}
 * The sink exits when its stdin closes, so it never outlives the bench that started it.
 */
import { createSocket, type Socket } from 'node:dgram';

const rcvbuf = Number(process.argv[2] ?? 4_194_304);
const count = Math.max(1, Math.min(8, Number(process.argv[3] ?? 1)));
const received = new Array<number>(count).fill(0);
const bytes = new Array<number>(count).fill(0);
const lastAt = new Array<number>(count).fill(Date.now());

function bind(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}

const data: Socket[] = [];
for (let i = 0; i < count; i++) {
  const socket = createSocket({ type: 'udp4', recvBufferSize: rcvbuf });
  socket.on('message', (msg) => {
    received[i]!++;
    bytes[i]! += msg.length;
    lastAt[i] = Date.now();
  });
  data.push(socket);
}
const control = createSocket('udp4');
control.on('message', (msg, from) => {
  if (msg.toString() !== 'stats') return;
  const now = Date.now();
  const reply = JSON.stringify({ received, bytes, msSinceLast: lastAt.map((t) => now - t) });
  control.send(reply, from.port, from.address);
});

const ports = await Promise.all(data.map(bind));
const controlPort = await bind(control);
process.stdout.write(
  `${JSON.stringify({ event: 'listening', data: ports, control: controlPort, recvBufferSize: data[0]!.getRecvBufferSize() })}\n`,
);
process.stdin.resume();
process.stdin.on('close', () => {
  for (const s of [...data, control]) s.close();
  process.exit(0);
});

/**
 * A UDP sink for the producer's loopback tests, run as its own process (possibly inside a private network
 * namespace, so the kernel's UDP counters see only the test's traffic). Usage:
 *   node loadgen/testing/udp-sink.ts RCVBUF_BYTES
 * Prints {"event":"listening","port":N,"recvBufferSize":B}; then reads commands on stdin, one per line:
 *   stall MS   block the event loop (the socket is not read, its buffer overflows)
 *   count      print {"event":"count","received":N,"msSinceLast":M}
 * Exits when stdin closes.
 */
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

const rcvbuf = Number(process.argv[2] ?? 4096);
const socket = createSocket({ type: 'udp4', recvBufferSize: rcvbuf });
let received = 0;
let lastAt = Date.now();
socket.on('message', () => {
  received++;
  lastAt = Date.now();
});
const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
socket.bind(0, '127.0.0.1', () => {
  print({ event: 'listening', port: socket.address().port, recvBufferSize: socket.getRecvBufferSize() });
});
createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [cmd, arg] = line.trim().split(/\s+/);
    if (cmd === 'stall')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(Number(arg), 5000));
    else if (cmd === 'count') print({ event: 'count', received, msSinceLast: Date.now() - lastAt });
  })
  .on('close', () => socket.close());

/**
 * Free loopback ports for the processes the rig starts (local/collectors.ts, devcluster/cluster.ts), so
 * parallel runs and clusters never fight over a fixed port. A port is found by binding 127.0.0.1:0 and
 * closing; another program could take it before ours binds, so callers treat a bind failure at start as
 * a start error (the supervisor reports it with the program's log).
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** One free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read the bound port'))));
    });
  });
}

/**
 * `count` distinct free ports. All are held open together before any is released, so the kernel does not
 * hand the same one out twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.unref();
          s.once('error', reject);
          s.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** One free UDP port on 127.0.0.1 (a TCP-free port may still be taken for UDP, and the reverse). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', reject);
    socket.bind({ address: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

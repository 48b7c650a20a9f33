/**
 * Free TCP ports on 127.0.0.1 for the dev cluster's listeners, so several clusters (parallel tests,
 * a `dev-cluster up` next to a test run) never fight over etcd's 2379 or the apiserver's 6443.
 * Called by devcluster/cluster.ts.
 */
import { createServer, type Server } from 'node:net';

function listenEphemeral(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * `count` distinct ports the kernel considers free right now. All are held open together (so they
 * are distinct) and released before returning; another process could take one in between, in which
 * case the component that wanted it fails to bind and says so in its log.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenEphemeral());
    return servers.map((s) => {
      const addr = s.address();
      if (addr === null || typeof addr === 'string') throw new Error('a TCP listener reported no port');
      return addr.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

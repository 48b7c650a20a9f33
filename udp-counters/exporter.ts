/**
 * The kernel UDP counter exporter: a tiny HTTP server that reads /proc/net/snmp (and /proc/net/udp{,6} for
 * watched ports) of its own network namespace on every request and serves them as Prometheus text on
 * `/metrics` and as JSON on `/counters`. It must run in the collector's network namespace — on one machine
 * the host's (the same as statsd_exporter's), in Kubernetes a sidecar of the collector pod — because the
 * counters are per namespace. `pushpull udp-counters` (cli/commands/udp-counters.ts) runs it; the local
 * runtime starts that command as a child, and the rig Prometheus scrapes it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parseUdpCounters } from '../measure/udp-snmp.ts';
import { formatUdpCounters } from './exposition.ts';
import { parseProcNetUdp, type UdpSocketRow } from './proc-net-udp.ts';
import { QUEUE_SAMPLE_MS, QueuePeak } from './queue-peak.ts';

export interface UdpCountersExporterOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 asks the kernel for a free port; `address` says which. */
  port: number;
  /** Local UDP ports whose sockets' drops and queue to report (e.g. statsd_exporter's). */
  watchPorts?: readonly number[];
  /** Where `net/snmp` and `net/udp` are read from; default /proc. Tests point it at fixtures. */
  procDir?: string;
  /** How often the watched sockets' receive queues are sampled, ms; default 100 (10 Hz). */
  queueSampleMs?: number;
}

/** A running exporter. */
export interface UdpCountersExporter {
  /** `host:port` it listens on. */
  address: string;
  close(): Promise<void>;
}

/** One reading, as `/counters` serves it. */
export interface UdpCountersReading {
  /** The `Udp:` row of /proc/net/snmp. */
  snmp: Record<string, unknown>;
  /** Per watched port: sockets open, their drops and queued bytes. */
  sockets: { port: number; sockets: number; drops: number; rxQueueBytes: number }[];
}

async function readSockets(procDir: string): Promise<UdpSocketRow[]> {
  const rows: UdpSocketRow[] = [];
  for (const file of ['net/udp', 'net/udp6']) {
    try {
      rows.push(...parseProcNetUdp(await readFile(join(procDir, file), 'utf8')));
    } catch {
      // No IPv6 in this namespace: nothing to add.
    }
  }
  return rows;
}

/** Reads the counters once. Throws when /proc/net/snmp cannot be read or has no Udp row. */
export async function readKernelUdp(
  procDir = '/proc',
  watchPorts: readonly number[] = [],
): Promise<{ counters: Record<string, unknown>; sockets: UdpSocketRow[]; reading: UdpCountersReading }> {
  const counters = { ...parseUdpCounters(await readFile(join(procDir, 'net/snmp'), 'utf8')) } as Record<
    string,
    unknown
  >;
  const sockets = watchPorts.length > 0 ? await readSockets(procDir) : [];
  const reading: UdpCountersReading = {
    snmp: counters,
    sockets: [...new Set(watchPorts)]
      .sort((a, b) => a - b)
      .map((port) => {
        const rows = sockets.filter((s) => s.localPort === port);
        return {
          port,
          sockets: rows.length,
          drops: rows.reduce((n, r) => n + r.drops, 0),
          rxQueueBytes: rows.reduce((n, r) => n + r.rxQueueBytes, 0),
        };
      }),
  };
  return { counters, sockets, reading };
}

/** Starts the exporter and resolves once it listens. */
export async function startUdpCountersExporter(
  options: UdpCountersExporterOptions,
): Promise<UdpCountersExporter> {
  const host = options.host ?? '127.0.0.1';
  const procDir = options.procDir ?? '/proc';
  const watchPorts = options.watchPorts ?? [];
  // The receive queue fills and drains within a second in a burst: sample it at 10 Hz, serve the
  // highest value of the last second (udp-counters/queue-peak.ts).
  const peak = new QueuePeak();
  let sampling = false;
  const sampleQueues = () => {
    if (sampling) return;
    sampling = true;
    readSockets(procDir).then(
      (rows) => {
        sampling = false;
        const now = Date.now();
        for (const port of watchPorts) {
          peak.record(
            port,
            now,
            rows.filter((r) => r.localPort === port).reduce((n, r) => n + r.rxQueueBytes, 0),
          );
        }
      },
      () => {
        sampling = false;
      },
    );
  };
  const sampler =
    watchPorts.length > 0 ? setInterval(sampleQueues, options.queueSampleMs ?? QUEUE_SAMPLE_MS) : null;
  sampler?.unref();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/counters' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics or /counters\n');
      return;
    }
    if (path === '/') {
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('pushpull kernel UDP counters: /metrics, /counters\n');
      return;
    }
    readKernelUdp(procDir, watchPorts).then(
      ({ counters, sockets, reading }) => {
        if (path === '/counters') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(reading)}\n`);
        } else {
          res
            .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
            .end(formatUdpCounters(counters, sockets, watchPorts, (port) => peak.max(port, Date.now())));
        }
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`cannot read the kernel UDP counters: ${message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : options.port;
  return {
    address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (sampler) clearInterval(sampler);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Pure: the kernel UDP counters as Prometheus text exposition (format 0.0.4), for the counter exporter
 * (udp-counters/exporter.ts). Namespace-wide counters come from /proc/net/snmp's `Udp:` row
 * (`RcvbufErrors` → `pushpull_kernel_udp_rcvbuf_errors_total`); per-socket figures of the watched ports
 * come from /proc/net/udp{,6}.
 */
import type { UdpSocketRow } from './proc-net-udp.ts';

/** Metric name prefix of every kernel counter. */
export const KERNEL_UDP_PREFIX = 'pushpull_kernel_udp_';

/** `RcvbufErrors` → `rcvbuf_errors`, `InDatagrams` → `in_datagrams`, `InCsumErrors` → `in_csum_errors`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The metric name of one /proc/net/snmp Udp counter. */
export function kernelUdpMetricName(counter: string): string {
  return `${KERNEL_UDP_PREFIX}${snakeCase(counter)}_total`;
}

/**
 * Renders the exposition. `counters` are the Udp row's fields (non-numbers are ignored); `sockets` the
 * rows of /proc/net/udp{,6}; `watchPorts` the local ports to report (several sockets on one port add up).
 * Output order is fixed: counters by name, then ports ascending.
 */
export function formatUdpCounters(
  counters: Record<string, unknown>,
  sockets: readonly UdpSocketRow[],
  watchPorts: readonly number[],
  /** The highest receive queue of the last second per port (10 Hz samples), when sampled. */
  queueMax1s?: (port: number) => number | null,
): string {
  const out: string[] = [];
  for (const key of Object.keys(counters).sort()) {
    const value = counters[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const name = kernelUdpMetricName(key);
    out.push(`# HELP ${name} /proc/net/snmp Udp ${key} of this network namespace.`);
    out.push(`# TYPE ${name} counter`);
    out.push(`${name} ${value}`);
  }
  const ports = [...new Set(watchPorts)].sort((a, b) => a - b);
  if (ports.length > 0) {
    const drops: string[] = [];
    const queue: string[] = [];
    const count: string[] = [];
    for (const port of ports) {
      const rows = sockets.filter((s) => s.localPort === port);
      const label = `{port="${port}"}`;
      count.push(`${KERNEL_UDP_PREFIX}socket_count${label} ${rows.length}`);
      drops.push(`${KERNEL_UDP_PREFIX}socket_drops_total${label} ${rows.reduce((n, r) => n + r.drops, 0)}`);
      queue.push(
        `${KERNEL_UDP_PREFIX}socket_rx_queue_bytes${label} ${rows.reduce((n, r) => n + r.rxQueueBytes, 0)}`,
      );
    }
    out.push(
      `# HELP ${KERNEL_UDP_PREFIX}socket_count UDP sockets bound to the watched local port (0: none open).`,
    );
    out.push(`# TYPE ${KERNEL_UDP_PREFIX}socket_count gauge`, ...count);
    out.push(
      `# HELP ${KERNEL_UDP_PREFIX}socket_drops_total Datagrams dropped by the sockets on the watched port (/proc/net/udp drops).`,
    );
    out.push(`# TYPE ${KERNEL_UDP_PREFIX}socket_drops_total counter`, ...drops);
    out.push(
      `# HELP ${KERNEL_UDP_PREFIX}socket_rx_queue_bytes Bytes waiting in the receive queues of the sockets on the watched port.`,
    );
    out.push(`# TYPE ${KERNEL_UDP_PREFIX}socket_rx_queue_bytes gauge`, ...queue);
    if (queueMax1s) {
      const peaks: string[] = [];
      for (const port of ports) {
        const v = queueMax1s(port);
        if (v !== null) peaks.push(`${KERNEL_UDP_PREFIX}socket_rx_queue_max_1s_bytes{port="${port}"} ${v}`);
      }
      out.push(
        `# HELP ${KERNEL_UDP_PREFIX}socket_rx_queue_max_1s_bytes Highest receive queue of the watched port's sockets over the last second, sampled at 10 Hz.`,
      );
      out.push(`# TYPE ${KERNEL_UDP_PREFIX}socket_rx_queue_max_1s_bytes gauge`, ...peaks);
    }
  }
  return `${out.join('\n')}\n`;
}

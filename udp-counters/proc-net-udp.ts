/**
 * Pure parser of /proc/net/udp and /proc/net/udp6: one row per UDP socket of the reading process's network
 * namespace, with its receive queue and its own drop count. The kernel counter exporter
 * (udp-counters/exporter.ts) uses it to report the collector socket's drops next to the
 * namespace-wide /proc/net/snmp counters, which also count other sockets' drops.
 */

/** One socket row. */
export interface UdpSocketRow {
  /** Local port (the address is left out: the exporter selects by port). */
  localPort: number;
  /** Bytes waiting in the receive queue now. */
  rxQueueBytes: number;
  /** Datagrams this socket dropped since it was opened (the `drops` column). */
  drops: number;
}

/**
 * Parses the table. Rows that do not have the expected columns are skipped, never guessed: the header
 * row names `drops` last, and that column is read by its header position.
 */
export function parseProcNetUdp(text: string): UdpSocketRow[] {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  // The header spells "tx_queue rx_queue" as two words but the rows print "tx:rx" as one field, and
  // "tr tm->when" as one "tr:when" field: drops is the last field of a row.
  if (!header.includes('drops')) return [];
  const rows: UdpSocketRow[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    const local = f[1] ?? '';
    const queues = f[4] ?? '';
    const portHex = local.split(':')[1];
    const rxHex = queues.split(':')[1];
    const drops = Number(f[f.length - 1]);
    if (portHex === undefined || rxHex === undefined || !Number.isFinite(drops)) continue;
    const localPort = Number.parseInt(portHex, 16);
    const rxQueueBytes = Number.parseInt(rxHex, 16);
    if (!Number.isFinite(localPort) || !Number.isFinite(rxQueueBytes)) continue;
    rows.push({ localPort, rxQueueBytes, drops });
  }
  return rows;
}

/**
 * Kernel UDP counters from `/proc/net/snmp`: the evidence of datagrams the kernel dropped because a socket's
 * receive buffer was full (`RcvbufErrors`, also counted in `InErrors`). The file is per network namespace,
 * so it must be read in the collector's namespace. A pure parser plus a tiny reader; used by the producer's
 * loopback test, the local runner and the in-cluster sidecar.
 */
import { readFile } from 'node:fs/promises';

/** The Udp line of /proc/net/snmp, by column name (InDatagrams, NoPorts, InErrors, RcvbufErrors, ...). */
export type UdpCounters = Readonly<Record<string, number>>;

/**
 * Parses /proc/net/snmp: each section is a header line (`Udp: InDatagrams NoPorts ...`) followed by a value
 * line with the same prefix. Returns every section by name; the error names what is malformed.
 */
export function parseSnmp(text: string): Record<string, Record<string, number>> {
  const sections: Record<string, Record<string, number>> = {};
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const header = lines[i]!.trim().split(/\s+/);
    const values = lines[i + 1]!.trim().split(/\s+/);
    const name = header[0] ?? '';
    if (!name.endsWith(':') || values[0] !== name || header.length !== values.length) {
      throw new SyntaxError(
        `/proc/net/snmp: lines ${i + 1}-${i + 2} are not a "${name}" header and value pair with matching columns`,
      );
    }
    const section: Record<string, number> = {};
    for (let k = 1; k < header.length; k++) {
      const v = Number(values[k]);
      if (!Number.isFinite(v)) {
        throw new SyntaxError(
          `/proc/net/snmp: ${name.slice(0, -1)}.${header[k]} is ${JSON.stringify(values[k])}, not a number`,
        );
      }
      section[header[k]!] = v;
    }
    sections[name.slice(0, -1)] = section;
  }
  return sections;
}

/** The Udp section of a /proc/net/snmp text; throws when there is none. */
export function parseUdpCounters(text: string): UdpCounters {
  const udp = parseSnmp(text).Udp;
  if (!udp) throw new SyntaxError('/proc/net/snmp: no "Udp:" section');
  return udp;
}

/** after - before for every counter present in both. */
export function udpDelta(before: UdpCounters, after: UdpCounters): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const key of Object.keys(after)) {
    const b = before[key];
    if (b !== undefined) delta[key] = after[key]! - b;
  }
  return delta;
}

/** Reads the Udp counters of the current network namespace (or of `path`, e.g. /proc/<pid>/net/snmp). */
export async function readUdpCounters(path = '/proc/net/snmp'): Promise<UdpCounters> {
  return parseUdpCounters(await readFile(path, 'utf8'));
}

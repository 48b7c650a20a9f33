/**
 * Parses the producer's `HOST:PORT` flags (--metrics-listen, --rig-listen, --statsd). Pure; errors name the
 * flag, the value and the expected form, and the CLI turns them into usage errors.
 */

/** A host and port; port 0 asks the kernel for a free one. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Parses `host:port`, `[v6]:port`, or `:port` (host defaults to 127.0.0.1: the rig binds loopback unless
 * told otherwise). `allowZero` accepts port 0 (listen addresses); destinations need a real port.
 */
export function parseHostPort(value: string, flag: string, allowZero: boolean): HostPort {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : Number.NaN;
  const min = allowZero ? 0 : 1;
  if (!m || port < min || port > 65535) {
    throw new RangeError(
      `${flag}: ${JSON.stringify(value)} is not allowed; expected HOST:PORT with a port ${min}..65535, e.g. 127.0.0.1:${allowZero ? '0' : '9125'}`,
    );
  }
  const host = m[1] ?? (m[2] || '127.0.0.1');
  return { host, port };
}

/** Formats an address for a URL (IPv6 in brackets). */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

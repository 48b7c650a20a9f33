/**
 * `pushpull udp-counters`: serves the kernel UDP counters of this network namespace (/proc/net/snmp, and
 * /proc/net/udp for watched ports) as Prometheus text. The local runtime runs it beside statsd_exporter; in
 * Kubernetes it is the sidecar of the collector pod, so it reads the collector's namespace.
 */

import { explainSystemError } from '../../errors/system-error.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { parseHostPort } from '../../loadgen/address.ts';
import type { UdpCountersExporter } from '../../udp-counters/exporter.ts';
import type { Command } from '../command.ts';

interface Args {
  listen: string;
  watchPort?: number[];
  procDir: string;
}

export const udpCountersCommand: Command = {
  command: 'udp-counters',
  describe: "Serve this network namespace's kernel UDP counters as Prometheus text (the collector sidecar)",
  builder: (y) =>
    y
      .option('listen', {
        type: 'string',
        default: '127.0.0.1:9477',
        describe: 'HOST:PORT to serve /metrics and /counters on (port 0: any free port, printed on stdout)',
      })
      .option('watch-port', {
        type: 'number',
        array: true,
        describe:
          "Local UDP port whose sockets' drops and queue to report too (e.g. statsd_exporter's); repeatable",
      })
      .option('proc-dir', {
        type: 'string',
        default: '/proc',
        describe: 'Where net/snmp and net/udp are read',
      })
      .example('$0 udp-counters --listen 127.0.0.1:9477 --watch-port 9125', ''),
  handler: async (args: Args) => {
    let host: string;
    let port: number;
    try {
      ({ host, port } = parseHostPort(args.listen, '--listen', true));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const watchPorts = args.watchPort ?? [];
    for (const p of watchPorts) {
      if (!Number.isInteger(p) || p < 1 || p > 65_535) {
        throw new UsageError(`--watch-port: ${p} is not allowed; expected a UDP port 1..65535`);
      }
    }
    // Loaded here, not at the top: every other command starts without it.
    const { startUdpCountersExporter } = await import('../../udp-counters/exporter.ts');
    let exporter: UdpCountersExporter;
    try {
      exporter = await startUdpCountersExporter({ host, port, watchPorts, procDir: args.procDir });
    } catch (err) {
      const sentence = explainSystemError(err, { option: '--listen' });
      process.stderr.write(
        `pushpull udp-counters: ${sentence ?? `cannot listen on ${args.listen}: ${(err as Error).message}`}\n`,
      );
      return 1;
    }
    // One JSON line: the supervisor's readiness check, and the port when --listen asked for port 0.
    process.stdout.write(`${JSON.stringify({ event: 'listening', address: exporter.address })}\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    await exporter.close();
    process.stderr.write(`pushpull udp-counters: stopped on ${signal}\n`);
    return 0;
  },
};

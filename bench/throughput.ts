/**
 * The highest sustained event rate of one producer process: runs the real producer (loadgen/producer.ts,
 * in this worker process) on the bench spec's flood phase, whose rate no process reaches, so the generation
 * loop runs flat out with its own tick cap and yields (scrapes, socket callbacks, exports and the rig
 * endpoint keep being served). After `warmSeconds` the ledger is read, again `seconds` later, and the
 * difference over the monotonic time between the reads is the rate. Then the producer is stopped as by
 * SIGTERM (drain, final ledger) and the sink side is asked what arrived. Called by bench/worker.ts.
 */
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { targetPath } from '../loadgen/arms/pull.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import { PRODUCER_DEFAULTS, startProducer } from '../loadgen/producer.ts';
import { parseUdpCounters, type UdpCounters } from '../measure/udp-snmp.ts';
import { systemClock } from '../schedule/timeline.ts';
import { parseProcNetUdp } from '../udp-counters/proc-net-udp.ts';
import { type BenchChild, startChild } from './child.ts';
import type { OtlpSinkPorts, SinkReport, ThroughputResult, UdpSinkPorts, WorkerConfig } from './protocol.ts';

const SCRAPER = fileURLToPath(new URL('./scraper.ts', import.meta.url));
/** The sink is drained when nothing arrived for this long. */
const QUIET_MS = 300;
const QUIET_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;

interface SinkStats {
  received: number[];
  bytes: number[];
  msSinceLast: number[];
}

/** Asks the UDP sink for its counts (a datagram to its control port; the answer comes back to us). */
async function udpSinkStats(controlPort: number): Promise<SinkStats> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<SinkStats>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('bench: the UDP sink did not answer within 2 s')),
        2000,
      );
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(JSON.parse(msg.toString()) as SinkStats);
      });
      socket.send('stats', controlPort, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/** Polls the sink until port `index` has been quiet for QUIET_MS (bounded); returns the last stats. */
async function udpSinkWhenQuiet(controlPort: number, index: number): Promise<SinkStats> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS;
  for (;;) {
    const stats = await udpSinkStats(controlPort);
    if ((stats.msSinceLast[index] ?? 0) >= QUIET_MS || Date.now() > deadline) return stats;
    await sleep(QUIET_MS / 2);
  }
}

/** Export requests the OTLP sink has answered so far over `mode` (grpc or http). */
async function otlpSinkRequests(httpPort: number, mode: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/stats`, { signal: AbortSignal.timeout(5000) });
  const s = (await res.json()) as { requests: number; grpcRequests: number };
  return mode === 'grpc' ? s.grpcRequests : s.requests;
}

/** This process's namespace: its Udp counters and the drops of the socket on `port`. */
async function kernelUdp(port: number): Promise<{ snmp: UdpCounters; socketDrops: number }> {
  const [snmp, table] = await Promise.all([
    readFile('/proc/self/net/snmp', 'utf8'),
    readFile('/proc/self/net/udp', 'utf8'),
  ]);
  const row = parseProcNetUdp(table).find((r) => r.localPort === port);
  return { snmp: parseUdpCounters(snmp), socketDrops: row?.drops ?? 0 };
}

/** The sink side of a throughput run: what it saw before and after, per arm. */
interface SinkSide {
  /** Called once the producer is up (pull: starts the scraper). */
  started(metricsPort: number | null, producerIds: readonly string[]): Promise<void>;
  /** Called when the window ends, before the producer stops. */
  windowEnded(): Promise<void>;
  /** Called after the producer stopped and drained; `totals` is its final ledger. */
  report(totals: LedgerTotals): Promise<SinkReport>;
  close(): void;
}

async function udpSide(udp: UdpSinkPorts): Promise<SinkSide> {
  // The per-event layers' last datagrams must have landed (or dropped) before the kernel counters are read.
  await udpSinkWhenQuiet(udp.controlPort, 0);
  const before = await kernelUdp(udp.throughputPort);
  return {
    started: async () => {},
    windowEnded: async () => {},
    async report(totals) {
      const stats = await udpSinkWhenQuiet(udp.controlPort, 1);
      const after = await kernelUdp(udp.throughputPort);
      const received = stats.received[1] ?? 0;
      const socketDrops = after.socketDrops - before.socketDrops;
      return {
        kind: 'udp',
        datagramsSent: totals.datagramsSent,
        sendErrors: totals.sendErrors,
        received,
        socketDrops,
        rcvbufErrors: (after.snmp.RcvbufErrors ?? 0) - (before.snmp.RcvbufErrors ?? 0),
        privateNetns: udp.privateNetns,
        recvBufferSize: udp.recvBufferSize,
        unaccounted: totals.datagramsSent - received - socketDrops,
      };
    },
    close() {},
  };
}

async function otlpSide(otlp: OtlpSinkPorts, mode: string): Promise<SinkSide> {
  // The per-event layers exported to the same sink: count from here.
  const before = await otlpSinkRequests(otlp.httpPort, mode);
  return {
    started: async () => {},
    windowEnded: async () => {},
    async report(totals) {
      return {
        kind: 'otlp',
        exportsOk: totals.exportsOk,
        exportsFailed: totals.exportsFailed,
        pointsExported: totals.pointsExported,
        requestsReceived: (await otlpSinkRequests(otlp.httpPort, mode)) - before,
      };
    },
    close() {},
  };
}

function scrapeSide(config: WorkerConfig): SinkSide {
  const pull = config.spec.arms.pull!;
  let scraper: BenchChild | undefined;
  let seen: Record<string, unknown> = {};
  return {
    async started(metricsPort, producerIds) {
      scraper = startChild({
        script: SCRAPER,
        args: [
          String(metricsPort),
          String(pull.scrapeIntervalSeconds * 1000),
          String(pull.scrapeTimeoutSeconds * 1000),
          String((config.warmSeconds + config.seconds + 60) * 1000),
          ...producerIds.map(targetPath),
        ],
      });
      await scraper.waitFor('started', 10_000);
    },
    async windowEnded() {
      if (!scraper) return;
      const from = scraper.lines.length;
      scraper.send('report');
      seen = await scraper.waitFor('report', 10_000, from);
      scraper.kill();
    },
    async report() {
      return {
        kind: 'scrape',
        scrapes: Number(seen.scrapes ?? 0),
        ok: Number(seen.ok ?? 0),
        failed: Number(seen.failed ?? 0),
        timeouts: Number(seen.timeouts ?? 0),
        maxSeconds: Number(seen.maxSeconds ?? 0),
        bytes: Number(seen.bytes ?? 0),
        intervalSeconds: pull.scrapeIntervalSeconds,
        timeoutSeconds: pull.scrapeTimeoutSeconds,
      };
    },
    close() {
      scraper?.kill();
    },
  };
}

/** Runs the producer flat out and reports the rate and what the sink side saw. */
export async function measureThroughput(config: WorkerConfig): Promise<ThroughputResult> {
  const { spec, case: c } = config;
  const side = config.udp
    ? await udpSide(config.udp)
    : config.otlp
      ? await otlpSide(config.otlp, c.mode)
      : scrapeSide(config);
  const lines: Record<string, unknown>[] = [];
  const handle = await startProducer(
    {
      spec,
      arm: c.arm,
      processIndex: 0,
      metricsListen: { host: '127.0.0.1', port: 0 },
      rigListen: { host: '127.0.0.1', port: 0 },
      statsd: config.udp ? { host: '127.0.0.1', port: config.udp.throughputPort } : undefined,
      otlpEndpoint: config.otlp
        ? `http://127.0.0.1:${c.mode === 'grpc' ? config.otlp.grpcPort : config.otlp.httpPort}`
        : undefined,
      startAt: 'auto',
      tickMs: PRODUCER_DEFAULTS.tickMs,
      maxEventsPerTick: PRODUCER_DEFAULTS.maxEventsPerTick,
      progressIntervalMs: 3_600_000,
      rigLimitAfterMs: PRODUCER_DEFAULTS.rigLimitAfterMs,
      lingerSeconds: 1,
    },
    { clock: systemClock, emit: (e) => lines.push(e) },
  );
  try {
    await side.started(handle.ready.metricsPort, handle.ready.producers);
    await sleep(config.warmSeconds * 1000);
    const e1 = handle.ledger().totals.eventsGenerated;
    const t1 = process.hrtime.bigint();
    const cpu1 = process.cpuUsage();
    await sleep(config.seconds * 1000);
    const e2 = handle.ledger().totals.eventsGenerated;
    const t2 = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpu1);
    await side.windowEnded();
    const stopped = await Promise.race([
      handle.stop('bench window over'),
      sleep(STOP_TIMEOUT_MS).then(() => 'timeout' as const),
    ]);
    const final = lines.find((l) => l.event === 'final') as { ledger?: { totals: LedgerTotals } } | undefined;
    const totals = final?.ledger?.totals ?? handle.ledger().totals;
    const errors = lines.filter((l) => l.event === 'error').map((l) => String(l.message));
    if (stopped === 'timeout') errors.push(`the producer did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
    const seconds = Number(t2 - t1) / 1e9;
    return {
      seconds,
      events: e2 - e1,
      eventsPerSecond: (e2 - e1) / seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      totals,
      errors,
      sink: await side.report(totals),
    };
  } finally {
    side.close();
    await Promise.race([handle.stop('bench cleanup'), sleep(STOP_TIMEOUT_MS)]);
  }
}

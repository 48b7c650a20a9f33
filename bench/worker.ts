/**
 * A bench worker: measures one case for one repeat in a fresh process, so that no case inherits another's
 * JIT state, heap or sockets. Started by bench/emit.ts (inside the UDP sink's network namespace for statsd
 * cases):
 *
 *   node bench/worker.ts '<WorkerConfig as JSON>'
 *
 * Prints exactly one JSON line, {"event":"result",...} (bench/protocol.ts) or {"event":"error","message"},
 * and exits 0 or 1.
 */
import { measurePerEvent } from './per-event.ts';
import type { WorkerConfig, WorkerResult } from './protocol.ts';
import { measureThroughput } from './throughput.ts';

async function run(config: WorkerConfig): Promise<WorkerResult> {
  const targets = {
    statsd: config.udp ? { host: '127.0.0.1', port: config.udp.perEventPort } : undefined,
    otlpEndpoint: config.otlp
      ? `http://127.0.0.1:${config.case.mode === 'grpc' ? config.otlp.grpcPort : config.otlp.httpPort}`
      : undefined,
  };
  const perEvent = await measurePerEvent(config.spec, config.case, config.perEvent, targets);
  const throughput = await measureThroughput(config);
  return {
    event: 'result',
    case: config.case,
    repeat: config.repeat,
    pid: process.pid,
    perEvent,
    throughput,
  };
}

try {
  const config = JSON.parse(process.argv[2] ?? '') as WorkerConfig;
  const result = await run(config);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = 0;
} catch (err) {
  process.stdout.write(
    `${JSON.stringify({ event: 'error', message: err instanceof Error ? err.message : String(err) })}\n`,
  );
  process.exitCode = 1;
}
// Sockets or timers a client library forgot to release must not keep the worker alive.
setTimeout(() => process.exit(), 2000).unref();

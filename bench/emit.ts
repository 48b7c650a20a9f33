/**
 * `pushpull bench emit`, the orchestration: for every repeat and every case (arm and mode), start the case's
 * sink in its own process (a UDP sink for statsd, in a private network namespace shared with the worker when
 * the machine allows it; an OTLP sink for otlp; pull's scraper is started by the worker once the targets are
 * up), run one fresh worker process (bench/worker.ts) that times the per-event layers and the throughput
 * run, then kill both. Repeats are the outer loop, so slow drift of the machine's load spreads over all cases
 * alike. The workers' samples are assembled into a BenchDocument (bench/result.ts) with the goals.
 * Called by cli/commands/bench.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpecFile, SpecFileUnreadableError } from '../api/v1alpha1/load.ts';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { formatSpecError } from '../api/v1alpha1/validate.ts';
import { benchSpec, openSymbols, peakEventsPerProcess } from './bench-spec.ts';
import { type BenchCase, caseId } from './cases.ts';
import { type BenchChild, canUsePrivateNetns, startChild } from './child.ts';
import { type CpuProfile, hotSpots } from './cpu-profile.ts';
import { evaluateGoals } from './goals.ts';
import { finishMachine, readMachine } from './machine.ts';
import type {
  OtlpSinkPorts,
  PerEventSettings,
  UdpSinkPorts,
  WorkerConfig,
  WorkerResult,
} from './protocol.ts';
import {
  BENCH_SCHEMA,
  type BenchDocument,
  type BenchFailure,
  caseFigures,
  pooledBaseline,
} from './result.ts';
import { formatCount, formatMicros } from './table.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const UDP_SINK = fileURLToPath(new URL('./udp-sink.ts', import.meta.url));
const OTLP_SINK = fileURLToPath(new URL('./otlp-sink.ts', import.meta.url));
/** Seconds of flood the worker's spec allows beyond warm-up and window: the bench stops it long before. */
const FLOOD_SLACK_SECONDS = 60;

/** Everything a bench run needs. */
export interface EmitOptions {
  cases: readonly BenchCase[];
  repeats: number;
  /** Measured window of each throughput run, seconds. */
  seconds: number;
  warmSeconds: number;
  perEvent: PerEventSettings;
  /** The spec whose process shape is benchmarked. */
  baseSpecPath: string;
  /** Virtual producers per process instead of the base spec's producersPerProcess. */
  producers?: number;
  /** Write a V8 CPU profile of every worker here (node --cpu-prof). */
  cpuProfDir?: string;
  /** The command line, as the report prints it. */
  command: string;
}

/** Where progress goes (stderr in the CLI). */
export interface EmitIo {
  progress(line: string): void;
}

/** Loads and validates the base spec; a RangeError names the unreadable file or lists every problem. */
async function loadBase(path: string): Promise<ExperimentSpec> {
  let loaded: Awaited<ReturnType<typeof loadSpecFile>>;
  try {
    loaded = await loadSpecFile(path);
  } catch (err) {
    if (err instanceof SpecFileUnreadableError) throw new RangeError(`--spec: ${err.message}`);
    throw err;
  }
  if (!loaded.ok) {
    throw new RangeError(
      `--spec ${path}: the spec is invalid:\n${loaded.errors.map((e) => `  ${formatSpecError(e)}`).join('\n')}`,
    );
  }
  return loaded.document.spec;
}

async function startUdpSink(
  rcvbuf: number,
  isolate: boolean,
  children: BenchChild[],
): Promise<{ ports: UdpSinkPorts; pid: number }> {
  const sink = startChild({ script: UDP_SINK, args: [String(rcvbuf), '2'], privateNetns: isolate });
  children.push(sink);
  const l = await sink.waitFor('listening', 15_000);
  const data = l.data as number[];
  return {
    pid: sink.pid,
    ports: {
      perEventPort: data[0]!,
      throughputPort: data[1]!,
      controlPort: l.control as number,
      recvBufferSize: l.recvBufferSize as number,
      privateNetns: isolate,
    },
  };
}

async function startOtlpSink(children: BenchChild[]): Promise<OtlpSinkPorts> {
  const sink = startChild({ script: OTLP_SINK, args: [] });
  children.push(sink);
  const l = await sink.waitFor('listening', 15_000);
  return { httpPort: l.http as number, grpcPort: l.grpc as number };
}

function profileName(c: BenchCase, repeat: number): string {
  return `${c.arm}-${c.mode}-r${repeat}.cpuprofile`;
}

/** The hot spots of the last repeat's worker profile, or null when it cannot be read. */
async function profileOf(
  dir: string,
  c: BenchCase,
  results: readonly WorkerResult[],
): Promise<{ file: string; hotSpots: ReturnType<typeof hotSpots> } | null> {
  const last = results.filter((r) => r.case.arm === c.arm && r.case.mode === c.mode).at(-1);
  if (!last) return null;
  const file = join(dir, profileName(c, last.repeat));
  try {
    return { file, hotSpots: hotSpots(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, 8) };
  } catch {
    return null;
  }
}

/** Runs one case once, in fresh processes, and kills them all before returning. */
async function runWorker(
  c: BenchCase,
  repeat: number,
  base: ExperimentSpec,
  opts: EmitOptions,
  isolate: boolean,
): Promise<WorkerResult> {
  const children: BenchChild[] = [];
  try {
    const spec = benchSpec(base, c, opts.warmSeconds + opts.seconds + FLOOD_SLACK_SECONDS, opts.producers);
    let udp: UdpSinkPorts | undefined;
    let otlp: OtlpSinkPorts | undefined;
    let netnsOfPid: number | undefined;
    if (c.arm === 'statsd') {
      const sink = await startUdpSink(spec.arms.statsd!.receiveBufferBytes, isolate, children);
      udp = sink.ports;
      if (isolate) netnsOfPid = sink.pid;
    }
    if (c.arm === 'otlp') otlp = await startOtlpSink(children);
    const config: WorkerConfig = {
      case: c,
      repeat,
      spec,
      perEvent: opts.perEvent,
      warmSeconds: opts.warmSeconds,
      seconds: opts.seconds,
      udp,
      otlp,
    };
    const nodeFlags = opts.cpuProfDir
      ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, `--cpu-prof-name=${profileName(c, repeat)}`]
      : [];
    const worker = startChild({ script: WORKER, args: [JSON.stringify(config)], netnsOfPid, nodeFlags });
    children.push(worker);
    // Generous: the worker bounds every step itself; this only catches a hung process.
    const timeoutSeconds = (2 * opts.perEvent.maxMs) / 1000 + opts.warmSeconds + opts.seconds + 120;
    const code = await worker.exited(timeoutSeconds * 1000);
    const line = worker.lines.find((l) => l.event === 'result' || l.event === 'error');
    if (line?.event === 'result') return line as unknown as WorkerResult;
    const why = line?.event === 'error' ? String(line.message) : `exited ${code} without a result`;
    throw new Error(`${why}${worker.stderr() ? `; stderr: ${worker.stderr().trim().slice(-1500)}` : ''}`);
  } finally {
    for (const child of children) child.kill();
  }
}

/** Runs the whole bench and returns its document. */
export async function runBenchEmit(opts: EmitOptions, io: EmitIo): Promise<BenchDocument> {
  const base = await loadBase(opts.baseSpecPath);
  const startedAt = new Date().toISOString();
  const machine = readMachine();
  const isolate = opts.cases.some((c) => c.arm === 'statsd') && canUsePrivateNetns();
  const results: WorkerResult[] = [];
  const failures: BenchFailure[] = [];
  const total = opts.cases.length * opts.repeats;
  let k = 0;
  for (let repeat = 1; repeat <= opts.repeats; repeat++) {
    for (const c of opts.cases) {
      k++;
      const label = `[${k}/${total}] ${caseId(c)} repeat ${repeat}/${opts.repeats}`;
      io.progress(`${label} ...`);
      try {
        const r = await runWorker(c, repeat, base, opts, isolate);
        results.push(r);
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
        io.progress(
          `${label}: library ${formatMicros(median(r.perEvent.samplesNs.library) / 1000)} µs, rig ${formatMicros(median(r.perEvent.samplesNs.rig) / 1000)} µs per event; ${formatCount(r.throughput.eventsPerSecond)} events/s`,
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failures.push({ case: caseId(c), repeat, message });
        io.progress(`${label}: FAILED: ${message.split('\n')[0]}`);
      }
    }
  }
  const perProcess = opts.producers ?? base.fleet.producersPerProcess;
  const needed = peakEventsPerProcess(base, perProcess);
  const cases = opts.cases.map((c) => caseFigures(c, results, needed));
  if (opts.cpuProfDir) {
    for (const [i, c] of opts.cases.entries())
      cases[i]!.profile = await profileOf(opts.cpuProfDir, c, results);
  }
  const symbols = openSymbols(base);
  const { regions, routes, statuses } = base.series;
  return {
    schema: BENCH_SCHEMA,
    command: opts.command,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: finishMachine(machine),
    settings: {
      repeats: opts.repeats,
      seconds: opts.seconds,
      warmSeconds: opts.warmSeconds,
      batchEvents: opts.perEvent.batchEvents,
      maxRounds: opts.perEvent.maxRounds,
      perEventMs: opts.perEvent.maxMs,
      baseSpec: opts.baseSpecPath,
      producersPerProcess: perProcess,
      symbols,
      counterSeriesPerProducer: symbols * regions * routes * statuses,
      histogramSeriesPerProducer: symbols * regions * routes,
      privateNetns: isolate,
      udpReceiveBufferBytes: benchSpec(base, { arm: 'statsd', mode: 'perEvent' }, 1).arms.statsd!
        .receiveBufferBytes,
    },
    baseline: pooledBaseline(results),
    cases,
    goals: evaluateGoals(cases),
    failures,
  };
}

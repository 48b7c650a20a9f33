/**
 * The bench's result document (`pushpull bench emit --json`) and its assembly from the workers' raw
 * samples: per case and layer the median and p99 over all batches of all repeats, the spread of the
 * repeats' medians, the rig's overhead over the library alone, and the throughput runs with what their
 * sinks saw. Pure; called by bench/emit.ts, rendered by bench/render.ts.
 */
import { type BenchCase, caseId } from './cases.ts';
import type { HotSpot } from './cpu-profile.ts';
import type { GoalResult } from './goals.ts';
import type { MachineInfo } from './machine.ts';
import type { LayerName, SinkReport, WorkerResult } from './protocol.ts';
import { overheadPercent, pool, spreadPercent, summarize } from './stats.ts';

/** Version of the document; bump on any incompatible change. */
export const BENCH_SCHEMA = 'pushpull.dev/bench-emit/v1';

/** One layer's per-event cost, in microseconds per event (2 metric updates). */
export interface LayerFigures {
  /** Median over all timed batches of all repeats. */
  medianUs: number | null;
  /** p99 over batch means (not over single events). */
  p99Us: number | null;
  batches: number;
  /** Each repeat's median. */
  repeatMediansUs: number[];
  /** (max - min) / median of the repeats' medians, in percent; null with one repeat. */
  spreadPercent: number | null;
}

/** The throughput runs of one case. */
export interface ThroughputFigures {
  /** Median over repeats of events generated per second. */
  eventsPerSecond: number | null;
  /** Median over repeats of the worker's CPU seconds per second (all threads; up to the core count). */
  cpuShare: number | null;
  /** Median over repeats of events per CPU second of the worker: less sensitive to a busy machine. */
  eventsPerCpuSecond: number | null;
  repeatEventsPerSecond: number[];
  spreadPercent: number | null;
  /** One process's share of the base spec's peak rate: what a process must sustain at the open. */
  neededPerProcess: number;
  /** eventsPerSecond / neededPerProcess. */
  headroom: number | null;
  /** What the sink side saw, per repeat. */
  sinks: SinkReport[];
  /** Every repeat's sink received everything (statsd), every export succeeded (otlp), every scrape (pull). */
  keptUp: boolean | null;
  errors: string[];
}

/** Everything measured for one arm and mode. */
export interface CaseFigures {
  arm: BenchCase['arm'];
  mode: string;
  id: string;
  /** Repeats that produced a result. */
  repeats: number;
  batchEvents: number;
  producers: number;
  baseline: LayerFigures;
  /** The rig recording nothing: schedule, event generation, ledger. */
  generator: LayerFigures;
  /** statsd perEvent only: a bare connected UDP socket sending the same datagrams; null elsewhere. */
  floor: LayerFigures | null;
  library: LayerFigures;
  rig: LayerFigures;
  /** Median over repeats of the thread's CPU time over wall time while timing (1: never preempted). */
  onCpuShare: number | null;
  /** (rig - library) / library of the medians, in percent. */
  overheadPercent: number | null;
  /** rig - library of the medians, in nanoseconds per event. */
  addedNsPerEvent: number | null;
  repeatOverheadPercent: (number | null)[];
  throughput: ThroughputFigures;
  /** With --cpu-prof: the worker profile of the last repeat and its functions with the most self time. */
  profile: { file: string; hotSpots: HotSpot[] } | null;
}

/** A case repeat that produced no result, and why. */
export interface BenchFailure {
  case: string;
  repeat: number;
  message: string;
}

/** How the bench was run. */
export interface BenchSettings {
  repeats: number;
  seconds: number;
  warmSeconds: number;
  batchEvents: number;
  maxRounds: number;
  perEventMs: number;
  /** The spec the process shape comes from. */
  baseSpec: string;
  producersPerProcess: number;
  symbols: number;
  counterSeriesPerProducer: number;
  histogramSeriesPerProducer: number;
  /** statsd: sink and worker in a private network namespace (exact kernel counters). */
  privateNetns: boolean;
  /** statsd: the receive buffer the sink asked for (the base spec's receiveBufferBytes). */
  udpReceiveBufferBytes: number;
}

/** The whole result. */
export interface BenchDocument {
  schema: typeof BENCH_SCHEMA;
  /** The command as typed, e.g. `pushpull bench emit --repeats 3`. */
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  settings: BenchSettings;
  /** The baseline pooled over every case. */
  baseline: LayerFigures;
  cases: CaseFigures[];
  goals: GoalResult[];
  failures: BenchFailure[];
}

const US = 1000;

function layerFigures(perRepeat: readonly number[][]): LayerFigures {
  const all = summarize(pool(perRepeat));
  const medians = perRepeat.map((s) => summarize(s)?.median).filter((m): m is number => m !== undefined);
  return {
    medianUs: all ? all.median / US : null,
    p99Us: all ? all.p99 / US : null,
    batches: all?.n ?? 0,
    repeatMediansUs: medians.map((m) => m / US),
    spreadPercent: spreadPercent(medians),
  };
}

function medianOf(values: readonly (number | null)[]): number | null {
  return summarize(values.filter((v): v is number => v !== null))?.median ?? null;
}

/** Did the sink side of one throughput run see everything? */
export function sinkKeptUp(sink: SinkReport): boolean {
  switch (sink.kind) {
    case 'udp':
      return sink.sendErrors === 0 && sink.received === sink.datagramsSent && sink.socketDrops === 0;
    case 'otlp':
      return sink.exportsFailed === 0 && sink.exportsOk > 0;
    case 'scrape':
      return sink.failed === 0 && sink.timeouts === 0 && sink.ok > 0;
  }
}

/** Assembles one case's figures from its workers' results (any order, failed repeats left out). */
export function caseFigures(
  c: BenchCase,
  results: readonly WorkerResult[],
  neededPerProcess: number,
): CaseFigures {
  const mine = results.filter((r) => r.case.arm === c.arm && r.case.mode === c.mode);
  const layer = (name: LayerName) => mine.map((r) => r.perEvent.samplesNs[name]);
  const floors = mine.map((r) => r.perEvent.samplesNs.floor).filter((f): f is number[] => f !== undefined);
  const library = layerFigures(layer('library'));
  const rig = layerFigures(layer('rig'));
  const rates = mine.map((r) => r.throughput.eventsPerSecond);
  const rate = summarize(rates)?.median ?? null;
  const sinks = mine.map((r) => r.throughput.sink);
  return {
    arm: c.arm,
    mode: c.mode,
    id: caseId(c),
    repeats: mine.length,
    batchEvents: mine[0]?.perEvent.batchEvents ?? 0,
    producers: mine[0]?.perEvent.producers ?? 0,
    baseline: layerFigures(layer('baseline')),
    generator: layerFigures(layer('generator')),
    floor: floors.length ? layerFigures(floors) : null,
    library,
    rig,
    onCpuShare: medianOf(mine.map((r) => r.perEvent.onCpuShare)),
    overheadPercent:
      rig.medianUs === null || library.medianUs === null
        ? null
        : overheadPercent(rig.medianUs, library.medianUs),
    addedNsPerEvent:
      rig.medianUs === null || library.medianUs === null ? null : (rig.medianUs - library.medianUs) * US,
    repeatOverheadPercent: mine.map((r) => {
      const l = summarize(r.perEvent.samplesNs.library)?.median;
      const g = summarize(r.perEvent.samplesNs.rig)?.median;
      return l === undefined || g === undefined ? null : overheadPercent(g, l);
    }),
    throughput: {
      eventsPerSecond: rate,
      cpuShare: medianOf(mine.map((r) => r.throughput.cpuSeconds / r.throughput.seconds)),
      eventsPerCpuSecond: medianOf(
        mine.map((r) => (r.throughput.cpuSeconds > 0 ? r.throughput.events / r.throughput.cpuSeconds : null)),
      ),
      repeatEventsPerSecond: rates,
      spreadPercent: spreadPercent(rates),
      neededPerProcess,
      headroom: rate === null || neededPerProcess <= 0 ? null : rate / neededPerProcess,
      sinks,
      keptUp: sinks.length === 0 ? null : sinks.every(sinkKeptUp),
      errors: mine.flatMap((r) => r.throughput.errors),
    },
    profile: null,
  };
}

/** The baseline pooled over every case: the floor, and a gauge of how noisy the machine was. */
export function pooledBaseline(results: readonly WorkerResult[]): LayerFigures {
  return layerFigures(results.map((r) => r.perEvent.samplesNs.baseline));
}

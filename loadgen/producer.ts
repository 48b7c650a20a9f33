/**
 * The producer process (`pushpull producer`): hosts the virtual producers of one arm for one process index of
 * the fleet, generates their order events from the wall-clock schedule, and keeps their ledgers. Used by the
 * local runtime (one OS process per index) and the Kubernetes runtime (one pod per index).
 *
 * Life cycle, all reported as JSON lines on stdout:
 *   ready   {"event":"ready","rigPort","metricsPort","producers":[ids],...} once servers and sockets are up;
 *   armed   when startAt is known (--start-at, spec load.startAt, or POST /start on the rig endpoint);
 *   phase   at each phase start; progress every few seconds; load-complete when the schedule is over
 *           (buffers are flushed right then, so the drain window sees every datagram in flight; a producer
 *           that fell behind does not generate past the end: its shortfall stays in the ledger as lag);
 *   final   after SIGTERM/SIGINT (or the linger time after the drain): generation stops, buffers are flushed
 *           and the last exports made, the final ledger is written to --ledger-out, then exit 0;
 *   error   on any failure, followed by the same drain and a non-zero exit. Never a silent exit.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { fleetPlan, processRange, producerId } from '../schedule/fleet.ts';
import { buildRateSchedule, producerFactor, symbolsAt } from '../schedule/rate.ts';
import {
  buildTimeline,
  type Clock,
  parseStartAt,
  type Timeline,
  timelineStateAt,
} from '../schedule/timeline.ts';
import type { HostPort } from './address.ts';
import type { Arm } from './arms/arm.ts';
import { createArm } from './arms/create-arm.ts';
import { createGenerator, type Generator } from './generator.ts';
import { hangSoon } from './hang.ts';
import { labelVocabulary, latencyBuckets } from './labels.ts';
import { copyLatencyHistogram } from './latency-histogram.ts';
import {
  LEDGER_SCHEMA,
  type LedgerDocument,
  newProcessBooks,
  newProducerLedger,
  totalLedgers,
} from './ledger.ts';
import { newTotalsHistory } from './ledger-history.ts';
import { type RigServer, StartConflictError, startRigServer } from './rig-server.ts';
import { sentSlotsOf, slotCapacityFor } from './send-slots.ts';

/** Everything the producer process is told (the CLI builds this from its flags). */
export interface ProducerOptions {
  spec: ExperimentSpec;
  arm: ArmName;
  processIndex: number;
  metricsListen: HostPort;
  rigListen: HostPort;
  statsd?: HostPort;
  otlpEndpoint?: string;
  /** RFC 3339 instant, or `auto` (warmupSeconds from now); omitted: the spec's load.startAt, else POST /start. */
  startAt?: string;
  /** Where the final ledger is written (JSON). */
  ledgerOut?: string;
  /** Generation tick when on schedule, in ms. */
  tickMs: number;
  /** Upper bound on events per tick over the whole process, so scrapes and the rig endpoint stay served. */
  maxEventsPerTick: number;
  progressIntervalMs: number;
  /** A producer behind its schedule this long is marked rigLimited. */
  rigLimitAfterMs: number;
  /** After the drain ends, stop on our own this much later if no SIGTERM came (no orphan producers). */
  lingerSeconds: number;
}

/** Defaults of the tuning options. */
export const PRODUCER_DEFAULTS = {
  tickMs: 10,
  maxEventsPerTick: 5000,
  progressIntervalMs: 5000,
  rigLimitAfterMs: 1000,
  lingerSeconds: 60,
} as const;

/** The producer's view of the outside world; tests pass their own. */
export interface ProducerIo {
  clock: Clock;
  /** Writes one JSON line to stdout. */
  emit(event: Record<string, unknown>): void;
}

/** The first line a producer prints. */
export interface ReadyEvent {
  event: 'ready';
  arm: ArmName;
  mode: string;
  processIndex: number;
  pid: number;
  rigPort: number;
  metricsPort: number | null;
  producers: string[];
}

/** A running producer. */
export interface ProducerHandle {
  ready: ReadyEvent;
  /** The ledger document as GET /ledger serves it. */
  ledger(): LedgerDocument;
  /** Stops generating, drains, writes the final ledger; resolves to the exit code. Idempotent. */
  stop(reason: string): Promise<number>;
  /** Resolves to the exit code once the producer has stopped, for whatever reason. */
  done: Promise<number>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Writes `text` to `path` atomically (temp file + rename), creating the directory. */
async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Starts the producer: arm, servers, and (if startAt is known) the schedule. */
export async function startProducer(opts: ProducerOptions, io: ProducerIo): Promise<ProducerHandle> {
  const { spec } = opts;
  const { clock } = io;
  const plan = fleetPlan(spec);
  const range = processRange(plan, opts.processIndex);
  const producerIndexes = Array.from({ length: range.end - range.first }, (_, k) => range.first + k);
  const producerIds = producerIndexes.map(producerId);
  const ledgers = producerIds.map(newProducerLedger);
  const schedule = buildRateSchedule(spec.load.phases, producerFactor(spec.scale, plan.producers));
  const fleetSchedule = buildRateSchedule(spec.load.phases, spec.scale);
  const maxSymbols = schedule.phases[schedule.phases.length - 1]?.symbols ?? 1;
  const vocabulary = labelVocabulary(spec.series, maxSymbols);
  const buckets = latencyBuckets(spec.series.histogramBuckets);
  const books = newProcessBooks(slotCapacityFor(schedule.totalSeconds + spec.collection.drainSeconds));
  // Every second of the producer's life, up to the longest a run may last.
  const history = newTotalsHistory(spec.maxDurationSeconds + 60);

  const arm: Arm = await createArm(
    opts.arm,
    { spec, producerIds, producerIndexes, ledgers, vocabulary, buckets, clock, processBooks: books },
    { metricsListen: opts.metricsListen, statsd: opts.statsd, otlpEndpoint: opts.otlpEndpoint },
  );

  let timeline: Timeline | undefined;
  let generator: Generator | undefined;
  let tickTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let lifeTimer: NodeJS.Timeout | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  let historyTimer: NodeJS.Timeout | undefined;
  let lastPhase = -1;
  let loadComplete = false;
  let stopping: Promise<number> | undefined;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  const stageNow = (): { stage: string; phase: string | null } => {
    if (!timeline) return { stage: 'unarmed', phase: null };
    const s = timelineStateAt(timeline, clock.now());
    return { stage: s.stage, phase: s.stage === 'load' ? s.phase.name : null };
  };

  /** The history with this instant recorded, so the final ledger's last second is its final totals. */
  const historyNow = () => {
    history.record(clock.now(), totalLedgers(ledgers));
    return history.snapshot();
  };

  const ledgerDocument = (final: boolean): LedgerDocument => ({
    schema: LEDGER_SCHEMA,
    arm: opts.arm,
    armMode: arm.mode,
    processIndex: opts.processIndex,
    pid: process.pid,
    startAt: timeline ? new Date(timeline.startAtMs).toISOString() : null,
    writtenAt: new Date(clock.now()).toISOString(),
    final,
    ...stageNow(),
    totals: totalLedgers(ledgers),
    exportLatencyBuckets: opts.arm === 'otlp' ? copyLatencyHistogram(books.exportLatency) : null,
    exportRetries: opts.arm === 'otlp' ? books.exportRetries : null,
    exportAttempts: opts.arm === 'otlp' && books.exportAttempts ? { ...books.exportAttempts } : null,
    sentPer100ms: opts.arm === 'statsd' ? sentSlotsOf(books.sentSlots) : null,
    totalsPerSecond: historyNow(),
    producers: ledgers,
  });

  const clearTimers = () => {
    if (tickTimer) {
      clearTimeout(tickTimer as NodeJS.Timeout);
      clearImmediate(tickTimer as NodeJS.Immediate);
    }
    if (lifeTimer) clearTimeout(lifeTimer);
    if (progressTimer) clearInterval(progressTimer);
    if (historyTimer) clearInterval(historyTimer);
    tickTimer = lifeTimer = progressTimer = historyTimer = undefined;
  };

  let rig: RigServer | undefined;

  const stop = (reason: string, code = 0): Promise<number> => {
    if (stopping) return stopping;
    stopping = (async () => {
      clearTimers();
      io.emit({ event: 'stopping', reason });
      let exitCode = code;
      try {
        await arm.shutdown();
      } catch (err) {
        io.emit({ event: 'error', message: `draining the ${opts.arm} arm failed: ${message(err)}` });
        exitCode = exitCode || 1;
      }
      const final = ledgerDocument(true);
      if (opts.ledgerOut) {
        try {
          await writeAtomic(opts.ledgerOut, `${JSON.stringify(final, null, 2)}\n`);
        } catch (err) {
          io.emit({ event: 'error', message: `--ledger-out ${opts.ledgerOut}: ${message(err)}` });
          exitCode = exitCode || 1;
        }
      }
      await rig?.close();
      io.emit({ event: 'final', reason, exitCode, ledger: final });
      resolveDone(exitCode);
      return exitCode;
    })();
    return stopping;
  };

  const fail = (err: unknown) => {
    io.emit({ event: 'error', message: message(err) });
    void stop('error', 1);
  };

  const loop = () => {
    tickTimer = undefined;
    if (stopping || !generator || !timeline) return;
    try {
      const r = generator.tick();
      const state = timelineStateAt(timeline, r.nowMs);
      if (state.stage === 'load' && state.phase.index !== lastPhase) {
        lastPhase = state.phase.index;
        io.emit({
          event: 'phase',
          phase: state.phase.name,
          index: state.phase.index,
          symbols: state.phase.symbols,
        });
      }
      if (r.done) {
        if (!loadComplete) {
          loadComplete = true;
          io.emit({ event: 'load-complete', totals: totalLedgers(ledgers) });
          arm.flush().catch(fail);
          const stopAt = timeline.drainEndMs + opts.lingerSeconds * 1000;
          lifeTimer = setTimeout(() => void stop('linger'), Math.max(0, stopAt - clock.now()));
        }
        return;
      }
      // Behind schedule: go again as soon as pending I/O (scrapes, the rig endpoint, socket callbacks) ran.
      tickTimer = r.behind ? setImmediate(loop) : setTimeout(loop, opts.tickMs);
    } catch (err) {
      fail(err);
    }
  };

  const armAt = (value: string): string => {
    const now = clock.now();
    const startAtMs =
      value === 'auto' ? now + spec.load.warmupSeconds * 1000 : parseStartAt(value, 'startAt');
    if (timeline) {
      if (timeline.startAtMs === startAtMs) return new Date(startAtMs).toISOString();
      throw new StartConflictError(
        `startAt: already armed for ${new Date(timeline.startAtMs).toISOString()}; restart the producer to change it`,
      );
    }
    if (stopping) throw new StartConflictError('startAt: the producer is stopping');
    timeline = buildTimeline(startAtMs, spec, fleetSchedule);
    generator = createGenerator({
      schedule,
      startAtMs,
      armedAtMs: now,
      clock,
      series: spec.series,
      seed: spec.seed,
      producerIndexes,
      ledgers,
      sinks: arm.sinks,
      onSymbols: (symbols) => arm.declareSymbols(symbols),
      maxEventsPerTick: opts.maxEventsPerTick,
      rigLimitAfterMs: opts.rigLimitAfterMs,
    });
    if (lifeTimer) clearTimeout(lifeTimer);
    lifeTimer = undefined;
    const iso = new Date(startAtMs).toISOString();
    io.emit({
      event: 'armed',
      startAt: iso,
      joinSeconds: Math.max(0, (now - startAtMs) / 1000),
      eventsSkippedOnJoin: ledgers[0]?.eventsSkippedOnJoin ?? 0,
      loadEndsAt: new Date(timeline.loadEndMs).toISOString(),
      drainEndsAt: new Date(timeline.drainEndMs).toISOString(),
    });
    loop();
    return iso;
  };

  const endpoints = await arm.start().catch(async (err) => {
    await arm.shutdown().catch(() => {});
    throw err;
  });
  arm.declareSymbols(symbolsAt(schedule, -1));
  try {
    rig = await startRigServer(opts.rigListen, {
      health: () => ({ armed: timeline !== undefined, ...stageNow() }),
      ledger: () => ledgerDocument(false),
      start: armAt,
      hang: (seconds) => hangSoon(seconds * 1000),
    });
  } catch (err) {
    await arm.shutdown().catch(() => {});
    throw new Error(`--rig-listen: cannot listen: ${message(err)}`);
  }

  const ready: ReadyEvent = {
    event: 'ready',
    arm: opts.arm,
    mode: arm.mode,
    processIndex: opts.processIndex,
    pid: process.pid,
    rigPort: rig.port,
    metricsPort: endpoints.metricsPort ?? null,
    producers: producerIds,
  };
  io.emit({ ...ready });
  progressTimer = setInterval(() => {
    io.emit({ event: 'progress', ...stageNow(), totals: totalLedgers(ledgers) });
  }, opts.progressIntervalMs);
  historyTimer = setInterval(() => history.record(clock.now(), totalLedgers(ledgers)), 1000);
  historyTimer.unref();

  const startAt = opts.startAt ?? spec.load.startAt;
  if (startAt !== undefined) {
    armAt(startAt);
  } else {
    // Never wait forever for POST /start: a producer nobody arms stops with an error.
    lifeTimer = setTimeout(
      () =>
        fail(
          new Error(
            `not armed within maxDurationSeconds (${spec.maxDurationSeconds} s): no --start-at and no POST /start`,
          ),
        ),
      spec.maxDurationSeconds * 1000,
    );
  }

  return { ready, ledger: () => ledgerDocument(false), stop: (reason) => stop(reason), done };
}

/**
 * Runs a producer until SIGTERM/SIGINT (or its own end) and resolves to the process exit code. Startup
 * errors are reported as an error line and exit code 1.
 */
export async function runProducer(opts: ProducerOptions, io: ProducerIo): Promise<number> {
  let handle: ProducerHandle;
  try {
    handle = await startProducer(opts, io);
  } catch (err) {
    io.emit({ event: 'error', message: message(err) });
    return 1;
  }
  const onSignal = (signal: NodeJS.Signals) => void handle.stop(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return await handle.done;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

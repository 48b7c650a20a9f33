/**
 * Datagrams and bytes arriving at statsd_exporter per millisecond, for each StatsD mode the statsd arm has
 * (loadgen/arms/statsd.ts). Producer processes send what their producers generated once per generation
 * tick, processes' ticks spread evenly over the tick (their start instants are unrelated):
 * - perEvent: two datagrams per event (a counter line and a timer line);
 * - buffered: hot-shots packs lines into datagrams of up to maxBufferBytes, so a tick sends its bytes in
 *   full datagrams, and each producer's own flush timer (started with its client, so spread evenly)
 *   sends the partly filled one;
 * - aggregated: each producer flushes at its wall-clock instant (loadgen/flush-schedule.ts, the offsets the
 *   producers compute): one counter line per series touched since the last flush, multi-value timer lines
 *   per histogram series, packed into datagrams — all producers in one millisecond without jitter.
 * `senders` counts the processes sending in each millisecond (udp-queue.ts: concurrent senders fill the
 * socket faster). Fluid expectations, not draws: see docs/simulate.md for what that leaves out.
 */
import type { ExperimentSpec, StatsdArm } from '../api/v1alpha1/schema.ts';
import { flushOffsetMs } from '../loadgen/flush-schedule.ts';
import { eventsBetween, type FleetLoad } from './fleet-load.ts';
import { countersPerSymbol, distinctTouched, histogramsPerSymbol } from './series-shape.ts';
import { type StatsdLineBytes, statsdLineBytes } from './statsd-line-bytes.ts';

/** What arrives at the socket, per ms of the model's grid. */
export interface StatsdArrivals {
  mode: StatsdArm['mode'];
  datagrams: Float64Array;
  bytes: Float64Array;
  senders: Float64Array;
  lines: StatsdLineBytes;
}

/** Inputs of the arrival model. */
export interface StatsdArrivalInput {
  spec: ExperimentSpec;
  arm: StatsdArm;
  load: FleetLoad;
  /** Wall-clock ms of t = 0 (startAt): aggregated flushes sit on the wall clock's interval grid. */
  startAtMs: number;
  tickMs: number;
}

/** Expected payload of a packed datagram: the limit less half a line of slack. */
function fillBytes(maxBytes: number, lineBytes: number): number {
  return Math.max(lineBytes, maxBytes - (lineBytes + 1) / 2);
}

function empty(totalMs: number) {
  return {
    datagrams: new Float64Array(totalMs),
    bytes: new Float64Array(totalMs),
    senders: new Float64Array(totalMs),
  };
}

/** perEvent and buffered: every process sends its share of the fleet's events each tick. */
function tickArrivals(
  input: StatsdArrivalInput,
  lines: StatsdLineBytes,
  out: ReturnType<typeof empty>,
): void {
  const { load, arm, spec, tickMs } = input;
  const processes = Math.ceil(load.producers / spec.fleet.producersPerProcess);
  const eventBytes = lines.counterLine + lines.timerFrame + lines.timerValue;
  const fill = fillBytes(arm.maxBufferBytes, eventBytes / 2 + 1);
  // Processes by tick phase; the share of the fleet's producers each phase carries.
  const phases = new Float64Array(tickMs);
  const sendersAt = new Float64Array(tickMs);
  for (let p = 0; p < processes; p++) {
    const hosted = Math.min(
      spec.fleet.producersPerProcess,
      load.producers - p * spec.fleet.producersPerProcess,
    );
    const phase = Math.floor((p * tickMs) / processes);
    phases[phase]! += hosted / load.producers;
    sendersAt[phase]! += 1;
  }
  for (let phase = 0; phase < tickMs; phase++) {
    const share = phases[phase]!;
    if (share === 0) continue;
    for (let t = phase; t < load.totalMs; t += tickMs) {
      const events = eventsBetween(load, t - tickMs, t) * share;
      if (events <= 0) continue;
      const bytes = arm.mode === 'perEvent' ? events * eventBytes : events * (eventBytes + 2);
      out.datagrams[t]! += arm.mode === 'perEvent' ? 2 * events : bytes / fill;
      out.bytes[t]! += bytes;
      out.senders[t]! += sendersAt[phase]!;
    }
  }
  if (arm.mode !== 'buffered') return;
  // Each producer's flush timer sends its partly filled datagram, when it has one: over an interval of
  // B bytes a producer sends floor(B / fill) full datagrams and one partial, and the ticks above counted
  // B / fill, so the flush adds 1 − frac(B / fill); below one datagram's worth, only producers that had
  // an event (1 − e^−events) send one.
  const interval = arm.flushIntervalMs;
  const flushingPerMs = load.producers / interval;
  for (let t = 0; t < load.totalMs; t++) {
    const perProducer = eventsBetween(load, t - interval, t) / load.producers;
    const fills = (perProducer * (eventBytes + 2)) / fill;
    const partial = fills < 1 ? -Math.expm1(-perProducer) - fills : 1 - (fills - Math.floor(fills));
    out.datagrams[t]! += flushingPerMs * Math.max(0, partial);
  }
}

/** aggregated: each producer's flush at its own wall-clock instant. */
function flushArrivals(
  input: StatsdArrivalInput,
  lines: StatsdLineBytes,
  out: ReturnType<typeof empty>,
): void {
  const { load, arm, spec, startAtMs } = input;
  const interval = arm.flushIntervalMs;
  const processes = Math.ceil(load.producers / spec.fleet.producersPerProcess);
  const byOffset = new Map<number, number>();
  for (let i = 0; i < load.producers; i++) {
    const o = flushOffsetMs(spec.seed, i, interval, arm.flushJitter);
    byOffset.set(o, (byOffset.get(o) ?? 0) + 1);
  }
  const cps = countersPerSymbol(spec.series);
  const hps = histogramsPerSymbol(spec.series);
  const timerRoom = Math.max(1, arm.maxBufferBytes - lines.timerFrame);
  const startPhase = ((startAtMs % interval) + interval) % interval;
  for (const [offset, count] of byOffset) {
    // First grid instant at or after t = 0: wall clock ≡ offset (mod interval).
    const first = (((offset - startPhase) % interval) + interval) % interval;
    for (let t = first; t < load.totalMs; t += interval) {
      const perProducer = eventsBetween(load, t - interval, t) / load.producers;
      if (perProducer <= 0) continue;
      const symbols = load.symbolsAt(t / 1000);
      const counters = distinctTouched(symbols * cps, perProducer);
      const timers = distinctTouched(symbols * hps, perProducer);
      const valueBytes = perProducer * (lines.timerValue + 1);
      const timerLines = Math.max(timers, valueBytes / timerRoom);
      const countDigits = Math.max(0, Math.log10(Math.max(1, perProducer / Math.max(1, counters))));
      const bytes =
        counters * (lines.counterLine + countDigits) +
        timerLines * lines.timerFrame +
        valueBytes +
        counters +
        timerLines;
      const fill = fillBytes(arm.maxBufferBytes, bytes / Math.max(1, counters + timerLines));
      const datagrams = Math.max(-Math.expm1(-perProducer), bytes / fill);
      out.datagrams[t]! += count * datagrams;
      out.bytes[t]! += count * bytes;
      out.senders[t]! += Math.min(processes, count);
    }
  }
}

/** Arrivals at statsd_exporter for the spec's statsd arm. */
export function statsdArrivals(input: StatsdArrivalInput): StatsdArrivals {
  const lines = statsdLineBytes(input.spec.series, input.spec.seed);
  const out = empty(input.load.totalMs);
  if (input.arm.mode === 'aggregated') flushArrivals(input, lines, out);
  else tickArrivals(input, lines, out);
  return { mode: input.arm.mode, lines, ...out };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Phase, Series } from '../api/v1alpha1/schema.ts';
import { buildRateSchedule } from '../schedule/rate.ts';
import type { ArmSink } from './arms/arm.ts';
import { createGenerator, type GeneratorOptions } from './generator.ts';
import { newProducerLedger } from './ledger.ts';
import type { OrderEvent } from './order-events.ts';

const series: Series = { regions: 3, routes: 4, statuses: 3, histogramBuckets: 12 };
const phases: Phase[] = [
  { name: 'pre', durationSeconds: 10, eventsPerSecond: 100, rampSeconds: 0, symbols: 2 },
  { name: 'burst', durationSeconds: 10, eventsPerSecond: 1000, rampSeconds: 1, symbols: 20 },
];
const START = 1_000_000;

function setup(overrides: Partial<GeneratorOptions> = {}, producers = 2) {
  let now = START;
  const clock = { now: () => now };
  const ledgers = Array.from({ length: producers }, (_, i) => newProducerLedger(`p${i}`));
  const recorded: OrderEvent[][] = ledgers.map(() => []);
  const sinks: ArmSink[] = recorded.map((list) => ({ record: (e) => list.push({ ...e }) }));
  const symbolCalls: number[] = [];
  const gen = createGenerator({
    schedule: buildRateSchedule(phases, 1 / producers),
    startAtMs: START,
    armedAtMs: START - 5000,
    clock,
    series,
    seed: 1,
    producerIndexes: ledgers.map((_, i) => i),
    ledgers,
    sinks,
    onSymbols: (s) => symbolCalls.push(s),
    maxEventsPerTick: 1_000_000,
    rigLimitAfterMs: 1000,
    ...overrides,
  });
  return { gen, ledgers, recorded, symbolCalls, setNow: (ms: number) => (now = ms) };
}

describe('generator', () => {
  it('generates nothing before startAt', () => {
    const { gen, setNow, ledgers } = setup();
    setNow(START - 1000);
    const r = gen.tick();
    assert.equal(r.generated, 0);
    assert.equal(r.done, false);
    assert.equal(ledgers[0]!.eventsGenerated, 0);
  });

  it('generates exactly floor(expected) per producer however the ticks fall', () => {
    const { gen, setNow, ledgers } = setup();
    for (const ms of [START + 10, START + 333, START + 1000, START + 9999, START + 10_500, START + 12_345]) {
      setNow(ms);
      gen.tick();
    }
    // 50/s per producer for 10 s, then a 1 s ramp 50 -> 500 (275 events), then 500/s for 1.345 s.
    assert.equal(ledgers[0]!.eventsGenerated, Math.floor(500 + 275 + 500 * 1.345));
    assert.equal(ledgers[1]!.eventsGenerated, ledgers[0]!.eventsGenerated);
    assert.equal(ledgers[0]!.scheduleLagNowEvents, 0);
  });

  it('finishes with every scheduled event and says done', () => {
    const { gen, setNow, ledgers } = setup();
    setNow(START + 25_000);
    const r = gen.tick();
    assert.equal(r.done, true);
    assert.equal(ledgers[0]!.eventsGenerated, 500 + 275 + 500 * 9);
  });

  it('ends with the schedule, leaving a shortfall as lag rather than generating past the end', () => {
    const { gen, setNow, ledgers } = setup({ maxEventsPerTick: 100 });
    setNow(START + 25_000);
    const r = gen.tick();
    assert.equal(r.done, true);
    assert.equal(ledgers[0]!.eventsGenerated, 50);
    assert.equal(ledgers[0]!.scheduleLagNowEvents, 500 + 275 + 500 * 9 - 50);
  });

  it('uses the symbols of the active phase and announces growth once', () => {
    const { gen, setNow, recorded, symbolCalls } = setup();
    setNow(START + 9000);
    gen.tick();
    assert.ok(recorded[0]!.every((e) => e.symbol < 2));
    setNow(START + 15_000);
    gen.tick();
    gen.tick();
    assert.deepEqual(symbolCalls, [20]);
    assert.ok(recorded[0]!.some((e) => e.symbol >= 2));
  });

  it('caps work per tick, records the lag, and marks the producer rig-limited when it persists', () => {
    const { gen, setNow, ledgers } = setup({ maxEventsPerTick: 20 });
    setNow(START + 1000);
    let r = gen.tick();
    assert.equal(r.generated, 20);
    assert.equal(r.behind, true);
    assert.equal(ledgers[0]!.scheduleLagNowEvents, 40);
    assert.equal(ledgers[0]!.rigLimited, false);
    setNow(START + 2000);
    r = gen.tick();
    assert.equal(ledgers[0]!.scheduleLagNowEvents, 80);
    assert.equal(ledgers[0]!.scheduleLagMaxEvents, 80);
    assert.equal(ledgers[0]!.rigLimited, true);
    assert.equal(ledgers[0]!.rigLimitedSince, new Date(START + 1000).toISOString());
  });

  it('clears the lag when it catches up, keeping the maximum', () => {
    const { gen, setNow, ledgers } = setup({ maxEventsPerTick: 100 });
    setNow(START + 2000);
    gen.tick();
    assert.equal(ledgers[0]!.scheduleLagNowEvents, 50);
    gen.tick();
    assert.equal(ledgers[0]!.scheduleLagNowEvents, 0);
    assert.equal(ledgers[0]!.scheduleLagMaxEvents, 50);
    assert.equal(ledgers[0]!.rigLimited, false);
  });

  it('joins mid-schedule from the events already due instead of bursting them out', () => {
    const { gen, setNow, ledgers, symbolCalls } = setup({ armedAtMs: START + 12_000 });
    assert.equal(ledgers[0]!.eventsSkippedOnJoin, 500 + 275 + 500);
    setNow(START + 12_100);
    const r = gen.tick();
    assert.equal(r.generated, 2 * 50);
    assert.deepEqual(symbolCalls, []);
  });

  it('draws the same events for the same seed and producer index', () => {
    const a = setup();
    const b = setup();
    a.setNow(START + 3000);
    b.setNow(START + 3000);
    a.gen.tick();
    b.gen.tick();
    assert.deepEqual(a.recorded[1], b.recorded[1]);
    assert.notDeepEqual(a.recorded[0], a.recorded[1]);
  });

  it('rejects mismatched producer lists', () => {
    assert.throws(() => setup({ sinks: [] }), /generator: 2 ledgers, 0 sinks and 2 indexes differ/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Phase } from '../api/v1alpha1/schema.ts';
import {
  buildRateSchedule,
  dueEvents,
  expectedEvents,
  phaseAt,
  phaseIndexAt,
  producerFactor,
  rateAt,
  symbolsAt,
} from './rate.ts';

const marketOpen: Phase[] = [
  { name: 'pre-open', durationSeconds: 30, eventsPerSecond: 4000, rampSeconds: 0, symbols: 2 },
  { name: 'open', durationSeconds: 60, eventsPerSecond: 380_000, rampSeconds: 0.8, symbols: 80 },
];

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('rate schedule', () => {
  it('is zero before the start and after the end', () => {
    const s = buildRateSchedule(marketOpen);
    assert.equal(rateAt(s, -0.001), 0);
    assert.equal(rateAt(s, 90), 0);
    assert.equal(rateAt(s, 1000), 0);
    assert.equal(expectedEvents(s, -5), 0);
  });

  it('starts a phase without a ramp at its own rate', () => {
    const s = buildRateSchedule(marketOpen);
    assert.equal(rateAt(s, 0), 4000);
    assert.equal(rateAt(s, 29.999), 4000);
  });

  it('ramps linearly from the previous phase rate and then holds', () => {
    const s = buildRateSchedule(marketOpen);
    assert.equal(rateAt(s, 30), 4000);
    close(rateAt(s, 30.4), 4000 + (380_000 - 4000) / 2);
    assert.equal(rateAt(s, 30.8), 380_000);
    assert.equal(rateAt(s, 89.999), 380_000);
  });

  it('ramps the first phase from zero when it has a ramp', () => {
    const s = buildRateSchedule([
      { name: 'a', durationSeconds: 10, eventsPerSecond: 100, rampSeconds: 4, symbols: 1 },
    ]);
    assert.equal(rateAt(s, 0), 0);
    close(rateAt(s, 1), 25);
    close(expectedEvents(s, 4), 200);
    close(expectedEvents(s, 10), 200 + 600);
  });

  it('integrates exactly across the ramp and phase edges', () => {
    const s = buildRateSchedule(marketOpen);
    close(expectedEvents(s, 30), 120_000);
    // Trapezoid over the 0.8 s ramp.
    close(expectedEvents(s, 30.8), 120_000 + ((4000 + 380_000) / 2) * 0.8);
    close(expectedEvents(s, 90), 120_000 + ((4000 + 380_000) / 2) * 0.8 + 380_000 * 59.2, 1e-3);
    assert.equal(expectedEvents(s, 500), s.totalEvents);
    assert.equal(s.totalSeconds, 90);
  });

  it('has an integral whose numeric derivative is the rate', () => {
    const s = buildRateSchedule(marketOpen);
    for (const t of [1, 29.5, 30.1, 30.5, 30.79, 45]) {
      const h = 1e-4;
      close((expectedEvents(s, t + h) - expectedEvents(s, t - h)) / (2 * h), rateAt(s, t), 1);
    }
  });

  it('cuts a ramp longer than its phase and ramps the next phase from there', () => {
    const s = buildRateSchedule([
      { name: 'a', durationSeconds: 2, eventsPerSecond: 100, rampSeconds: 4, symbols: 1 },
      { name: 'b', durationSeconds: 2, eventsPerSecond: 0, rampSeconds: 2, symbols: 1 },
    ]);
    close(rateAt(s, 2), 50);
    close(rateAt(s, 3), 25);
    close(expectedEvents(s, 2), 50);
    close(expectedEvents(s, 4), 50 + 50);
  });

  it('multiplies rates by the factor (scale)', () => {
    const full = buildRateSchedule(marketOpen);
    const small = buildRateSchedule(marketOpen, 0.01);
    close(rateAt(small, 45), 3800);
    close(expectedEvents(small, 60), expectedEvents(full, 60) * 0.01, 1e-6);
  });

  it("gives one producer its share of the fleet's events", () => {
    const producers = 1400;
    const fleet = buildRateSchedule(marketOpen, 1);
    const one = buildRateSchedule(marketOpen, producerFactor(1, producers));
    close(expectedEvents(one, 31) * producers, expectedEvents(fleet, 31), 1e-3);
    close(rateAt(one, 0), 4000 / 1400);
    assert.throws(() => producerFactor(1, 0), /producers: 0 is not allowed/);
  });

  it('rejects a negative or non-finite factor with the value', () => {
    assert.throws(() => buildRateSchedule(marketOpen, -1), /rate factor: -1 is not allowed/);
    assert.throws(() => buildRateSchedule(marketOpen, Number.NaN), /rate factor: NaN/);
  });

  it('names the phase in force, including at its exact edges', () => {
    const s = buildRateSchedule(marketOpen);
    assert.equal(phaseIndexAt(s, -1), -1);
    assert.equal(phaseAt(s, -1), undefined);
    assert.equal(phaseAt(s, 0)?.name, 'pre-open');
    assert.equal(phaseAt(s, 29.9999)?.name, 'pre-open');
    assert.equal(phaseAt(s, 30)?.name, 'open');
    assert.equal(phaseIndexAt(s, 90), 2);
    assert.equal(phaseAt(s, 90), undefined);
  });

  it('keeps symbols from shrinking and uses the first phase before the start', () => {
    const s = buildRateSchedule([
      { name: 'a', durationSeconds: 1, eventsPerSecond: 1, rampSeconds: 0, symbols: 5 },
      { name: 'b', durationSeconds: 1, eventsPerSecond: 1, rampSeconds: 0, symbols: 50 },
      { name: 'c', durationSeconds: 1, eventsPerSecond: 1, rampSeconds: 0, symbols: 10 },
    ]);
    assert.equal(symbolsAt(s, -3), 5);
    assert.equal(symbolsAt(s, 0.5), 5);
    assert.equal(symbolsAt(s, 1.5), 50);
    assert.equal(symbolsAt(s, 2.5), 50);
    assert.equal(symbolsAt(s, 99), 50);
  });
});

describe('due events', () => {
  it('floors the integral without losing an event to rounding at a boundary', () => {
    const s = buildRateSchedule(
      [
        { name: 'a', durationSeconds: 10, eventsPerSecond: 100, rampSeconds: 0, symbols: 1 },
        { name: 'b', durationSeconds: 10, eventsPerSecond: 1000, rampSeconds: 1, symbols: 1 },
      ],
      0.5,
    );
    // 12.1 - 10 is 2.0999999999999996 in binary floating point.
    assert.equal(dueEvents(s, 12.1), 1325);
    assert.equal(dueEvents(s, 0.019), 0);
    assert.equal(dueEvents(s, 0.02), 1);
  });
});

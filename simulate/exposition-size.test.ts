import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Series } from '../api/v1alpha1/schema.ts';
import { createPullTarget, pullLabelTables } from '../loadgen/arms/pull-target.ts';
import { labelVocabulary, latencyBuckets } from '../loadgen/labels.ts';
import { emptyOrderEvent, nextOrderEvent } from '../loadgen/order-events.ts';
import { createPrng, deriveSeed } from '../loadgen/prng.ts';
import { expositionBytes, expositionSamples, expositionShape } from './exposition-size.ts';

const series: Series = { regions: 3, routes: 4, statuses: 3, histogramBuckets: 12 };

/** prom-client's real body for a target with `symbols` declared after `events` events. */
async function realBody(symbols: number, events: number): Promise<number> {
  const target = createPullTarget(
    series,
    pullLabelTables(series, labelVocabulary(series, symbols)),
    latencyBuckets(12),
  );
  target.declareSymbols(symbols);
  const prng = createPrng(deriveSeed(1, 'events', 0));
  const e = emptyOrderEvent();
  for (let i = 0; i < events; i++) target.record(nextOrderEvent(prng, series, symbols, e));
  return Buffer.byteLength(await target.registry.metrics());
}

describe('exposition size', () => {
  it('matches prom-client to the byte for declared, untouched series', async () => {
    const shape = expositionShape(series);
    for (const symbols of [1, 2, 80]) {
      assert.equal(Math.round(expositionBytes(shape, symbols, 0)), await realBody(symbols, 0));
    }
  });
  it("is within 3% of prom-client's body once events have filled the values", async () => {
    const shape = expositionShape(series);
    for (const [symbols, events] of [
      [2, 500],
      [80, 2000],
      [80, 50_000],
    ] as const) {
      const real = await realBody(symbols, events);
      const model = expositionBytes(shape, symbols, events);
      assert.ok(
        Math.abs(model / real - 1) < 0.03,
        `${symbols} symbols, ${events} events: model ${model.toFixed(0)} vs prom-client ${real}`,
      );
    }
  });
  it('counts one sample per counter and per histogram line', () => {
    assert.equal(expositionSamples(expositionShape(series), 2), 2 * 36 + 2 * 12 * 15);
  });
});

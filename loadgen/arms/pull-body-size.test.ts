/**
 * The spec promises that at full scale one target's /metrics grows from about 18 KB to about 240 KB at the
 * open. This renders the real prom-client registry of one virtual producer of examples/market-open.yaml,
 * fed the events its schedule gives it, and measures the body before and during the burst.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSpecFile } from '../../api/v1alpha1/load.ts';
import { fleetPlan } from '../../schedule/fleet.ts';
import { buildRateSchedule, dueEvents, producerFactor, symbolsAt } from '../../schedule/rate.ts';
import { labelVocabulary, latencyBuckets } from '../labels.ts';
import { emptyOrderEvent, nextOrderEvent } from '../order-events.ts';
import { createPrng, deriveSeed } from '../prng.ts';
import { createPullTarget, pullLabelTables } from './pull-target.ts';

const MARKET_OPEN = fileURLToPath(new URL('../../examples/market-open.yaml', import.meta.url));

describe('pull target body size for examples/market-open.yaml', () => {
  it('is about 18 KB before the burst and about 240 KB during it', async () => {
    const loaded = await loadSpecFile(MARKET_OPEN);
    assert.ok(loaded.ok, 'examples/market-open.yaml must validate');
    const spec = loaded.document.spec;
    const plan = fleetPlan(spec);
    const schedule = buildRateSchedule(spec.load.phases, producerFactor(spec.scale, plan.producers));
    const maxSymbols = schedule.phases[schedule.phases.length - 1]!.symbols;
    const tables = pullLabelTables(spec.series, labelVocabulary(spec.series, maxSymbols));
    const target = createPullTarget(spec.series, tables, latencyBuckets(spec.series.histogramBuckets));
    const prng = createPrng(deriveSeed(spec.seed, 'events', 0));
    const event = emptyOrderEvent();
    let generated = 0;
    /** Feeds the target the events its schedule has due by t, as the generator does, and renders it. */
    const bodyAt = async (t: number) => {
      const symbols = symbolsAt(schedule, t);
      target.declareSymbols(symbols);
      for (const due = dueEvents(schedule, t); generated < due; generated++) {
        target.record(nextOrderEvent(prng, spec.series, symbols, event));
      }
      return Buffer.byteLength(await target.registry.metrics());
    };
    const open = schedule.phases[1]!;
    const before = await bodyAt(open.startSeconds - 0.001);
    const during = await bodyAt(open.startSeconds + 10);
    const late = await bodyAt(open.endSeconds - 0.001);
    console.log(
      `market-open target /metrics: ${(before / 1024).toFixed(1)} KiB before the burst (${schedule.phases[0]!.symbols} symbols), ` +
        `${(during / 1024).toFixed(1)} KiB 10 s into it, ${(late / 1024).toFixed(1)} KiB at its end (${open.symbols} symbols)`,
    );
    assert.ok(before > 15_000 && before < 21_000, `before the burst: ${before} bytes, expected about 18 KB`);
    assert.ok(
      during > 215_000 && during < 265_000,
      `during the burst: ${during} bytes, expected about 240 KB`,
    );
    assert.ok(late >= during && late < 265_000, `end of the burst: ${late} bytes`);
  });
});

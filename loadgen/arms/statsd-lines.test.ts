import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Series } from '../../api/v1alpha1/schema.ts';
import { labelVocabulary } from '../labels.ts';
import { counterSeriesIndex, histogramSeriesIndex } from '../order-events.ts';
import { multiValueTimerLines, statsdTagTables, timerMillis } from './statsd-lines.ts';

const series: Series = { regions: 2, routes: 2, statuses: 2, histogramBuckets: 4 };

describe('statsd lines', () => {
  it('tags every counter and timer series with DogStatsD key:value tags', () => {
    const tables = statsdTagTables(series, labelVocabulary(series, 3));
    const e = { region: 1, symbol: 2, route: 0, status: 1, latencySeconds: 0 };
    assert.deepEqual(tables.counter[counterSeriesIndex(series, e)], [
      'region:us-west-2',
      'symbol:AAAC',
      'route:direct',
      'status:rejected',
    ]);
    assert.deepEqual(tables.timer[histogramSeriesIndex(series, e)], [
      'region:us-west-2',
      'symbol:AAAC',
      'route:direct',
    ]);
    assert.equal(tables.counter.length, 2 * 3 * 2 * 2);
  });

  it('rounds timer values to the microsecond in milliseconds', () => {
    assert.equal(timerMillis(0.0041234567), 4.123);
    assert.equal(timerMillis(1.5), 1500);
  });

  it('packs multi-value timer lines up to the byte limit', () => {
    const tags = ['region:a', 'route:b'];
    const lines = multiValueTimerLines(tags, [1.5, 2.25, 3, 4, 5], 45);
    assert.deepEqual(lines, [
      'order_latency:1.5:2.25:3|ms|#region:a,route:b',
      'order_latency:4:5|ms|#region:a,route:b',
    ]);
    for (const l of lines) assert.ok(Buffer.byteLength(l) <= 45);
    assert.deepEqual(multiValueTimerLines(tags, [], 40), []);
  });

  it('keeps one value per line when the limit is smaller than a line', () => {
    assert.deepEqual(multiValueTimerLines(['x:y'], [1, 2], 10), [
      'order_latency:1|ms|#x:y',
      'order_latency:2|ms|#x:y',
    ]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelVocabulary, latencyBuckets, symbolName } from './labels.ts';

describe('label vocabulary', () => {
  it('names symbols like tickers, uniquely', () => {
    assert.equal(symbolName(0), 'AAAA');
    assert.equal(symbolName(1), 'AAAB');
    assert.equal(symbolName(26), 'AABA');
    const names = new Set(Array.from({ length: 100_000 }, (_, i) => symbolName(i)));
    assert.equal(names.size, 100_000);
  });

  it('has as many values per dimension as the spec asks, generating names past the known ones', () => {
    const v = labelVocabulary({ regions: 8, routes: 2, statuses: 1, histogramBuckets: 3 }, 5);
    assert.equal(v.regions.length, 8);
    assert.equal(v.regions[0], 'us-east-1');
    assert.equal(v.regions[7], 'region-7');
    assert.deepEqual(v.routes, ['direct', 'smart']);
    assert.deepEqual(v.statuses, ['filled']);
    assert.equal(v.symbols.length, 5);
  });

  it('gives strictly increasing latency buckets from 0.25 ms to 2.5 s', () => {
    for (const n of [1, 2, 10, 12, 100]) {
      const b = latencyBuckets(n);
      assert.equal(b.length, n);
      for (let i = 1; i < b.length; i++) assert.ok(b[i]! > b[i - 1]!, `n=${n}: ${b[i - 1]} then ${b[i]}`);
    }
    assert.deepEqual(latencyBuckets(2), [0.00025, 2.5]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPrng, deriveSeed } from './prng.ts';

describe('seeded prng', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      Array.from({ length: 5 }, () => b.next()),
      xs,
    );
    assert.notDeepEqual(
      Array.from({ length: 5 }, () => c.next()),
      xs,
    );
  });

  it('draws uniform integers in range, covering every value', () => {
    const p = createPrng(1);
    const seen = new Array(7).fill(0);
    for (let i = 0; i < 7000; i++) {
      const v = p.int(7);
      assert.ok(v >= 0 && v < 7 && Number.isInteger(v));
      seen[v]++;
    }
    for (const n of seen) assert.ok(n > 850 && n < 1150, `bucket count ${n} is far from 1000`);
  });

  it('draws lognormal values around the median', () => {
    const p = createPrng(7);
    const draws = Array.from({ length: 20_001 }, () => p.lognormal(0.004, 0.9)).sort((x, y) => x - y);
    const median = draws[10_000]!;
    assert.ok(median > 0.0037 && median < 0.0043, `median ${median}`);
    assert.ok(draws.every((v) => v > 0 && Number.isFinite(v)));
  });

  it('derives distinct sub-seeds per path and the same one for the same path', () => {
    assert.equal(deriveSeed(1, 'statsd', 3), deriveSeed(1, 'statsd', 3));
    const seeds = new Set([
      deriveSeed(1, 'statsd', 3),
      deriveSeed(1, 'statsd', 4),
      deriveSeed(2, 'statsd', 3),
      deriveSeed(1, 'otlp', 3),
    ]);
    assert.equal(seeds.size, 4);
  });
});

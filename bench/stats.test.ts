import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overheadPercent, pool, spreadPercent, summarize } from './stats.ts';

function near(actual: number | null, expected: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);
}

test('a summary gives median, p99, min and max, and nothing for no samples', () => {
  const values = Array.from({ length: 101 }, (_, i) => 100 - i);
  assert.deepEqual(summarize(values), { n: 101, median: 50, p99: 99, min: 0, max: 100 });
  assert.deepEqual(summarize([7]), { n: 1, median: 7, p99: 7, min: 7, max: 7 });
  assert.equal(summarize([]), null);
});

test('the p99 of batch means follows the slow tail, the median does not', () => {
  const batches = [...Array(98).fill(1), 10, 20];
  const s = summarize(batches)!;
  assert.equal(s.median, 1);
  assert.ok(s.p99 > 10 && s.p99 < 20, `p99 ${s.p99}`);
});

test('spread is the range of the repeats over their median, and none for a single repeat', () => {
  near(spreadPercent([1.0, 1.1, 0.9]), 20);
  assert.equal(spreadPercent([2, 2]), 0);
  assert.equal(spreadPercent([5]), null);
  assert.equal(spreadPercent([0, 0, 0]), null);
});

test('overhead is the rig over the library alone, in percent, and null without a library figure', () => {
  near(overheadPercent(1.1, 1.0), 10);
  near(overheadPercent(0.9, 1.0), -10);
  assert.equal(overheadPercent(1, 0), null);
  assert.equal(overheadPercent(Number.NaN, 1), null);
});

test('pooling concatenates the repeats', () => {
  assert.deepEqual(pool([[1, 2], [], [3]]), [1, 2, 3]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bucketize,
  counterIncrease,
  counterRate,
  countWhere,
  firstIncrease,
  firstWhere,
  quantile,
  type Sample,
} from './stats.ts';

test('quantile interpolates between ranks and is null for no values', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([5], 0.99), 5);
  assert.equal(quantile([10, 0], 1), 10);
  assert.equal(quantile([], 0.5), null);
});

test('counter increase treats a drop as a reset', () => {
  const s: Sample[] = [
    [0, 10],
    [1, 15],
    [2, 3],
    [3, 7],
  ];
  assert.equal(counterIncrease(s), 5 + 3 + 4);
});

test('first increase finds the first rise, and nothing for a flat counter', () => {
  assert.equal(
    firstIncrease([
      [0, 2],
      [1, 2],
      [2, 4],
    ]),
    2,
  );
  assert.equal(
    firstIncrease([
      [0, 2],
      [1, 2],
    ]),
    null,
  );
});

test('first and count across series', () => {
  const a: Sample[] = [
    [5, 0],
    [6, 1],
  ];
  const b: Sample[] = [
    [3, 1],
    [4, 0],
  ];
  assert.equal(
    firstWhere([a, b], (v) => v === 0),
    4,
  );
  assert.equal(
    countWhere([a, b], (v) => v === 0),
    2,
  );
});

test('bucketize reduces samples of many series per step', () => {
  const a: Sample[] = [
    [100, 1],
    [101, 3],
  ];
  const b: Sample[] = [[100.5, 5]];
  assert.deepEqual(
    bucketize([a, b], 100, 1, (v) => Math.max(...v)),
    [
      [0, 5],
      [1, 3],
    ],
  );
});

test('counter rate per interval', () => {
  assert.deepEqual(
    counterRate(
      [
        [10, 0],
        [12, 10],
        [13, 2],
      ],
      10,
    ),
    [
      [2, 5],
      [3, 2],
    ],
  );
});

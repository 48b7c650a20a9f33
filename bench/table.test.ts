import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatCount,
  formatMicros,
  formatSig3,
  formatSignedPercent,
  formatSpread,
  formatTable,
} from './table.ts';

test('a table pads columns to their widest cell, aligns numbers right and rules the header', () => {
  const lines = formatTable({
    header: ['arm', 'µs'],
    rows: [
      ['pull', '0.41'],
      ['statsd/perEvent', '12.5'],
    ],
    align: ['left', 'right'],
  });
  assert.deepEqual(lines, [
    'arm                µs',
    '---------------  ----',
    'pull             0.41',
    'statsd/perEvent  12.5',
  ]);
});

test('short rows are padded and trailing blanks are trimmed', () => {
  const lines = formatTable({ header: ['a', 'b', 'c'], rows: [['x']] });
  assert.deepEqual(lines, ['a  b  c', '-  -  -', 'x']);
});

test('costs keep three significant digits', () => {
  assert.equal(formatSig3(0.0004123), '0.000412');
  assert.equal(formatSig3(0.4123), '0.412');
  assert.equal(formatSig3(4.123), '4.12');
  assert.equal(formatSig3(41.23), '41.2');
  assert.equal(formatSig3(412.3), '412');
  assert.equal(formatSig3(4123), '4123');
  assert.equal(formatSig3(0), '0');
  assert.equal(formatSig3(99.99999), '100');
  assert.equal(formatSig3(-0.04567), '-0.0457');
  assert.equal(formatMicros(null), '-');
});

test('counts, signed percentages and spreads read as people write them', () => {
  assert.equal(formatCount(1234567.4), '1,234,567');
  assert.equal(formatCount(null), '-');
  assert.equal(formatSignedPercent(8.14), '+8.1%');
  assert.equal(formatSignedPercent(-2), '-2.0%');
  assert.equal(formatSignedPercent(0), '0.0%');
  assert.equal(formatSignedPercent(null), '-');
  assert.equal(formatSpread(3.14), '3.1%');
  assert.equal(formatSpread(12.6), '13%');
  assert.equal(formatSpread(null), '-');
});

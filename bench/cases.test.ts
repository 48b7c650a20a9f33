import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_CASES, caseId, selectCases, splitList } from './cases.ts';

test('without flags every arm runs in every mode, aggregated once', () => {
  assert.deepEqual(selectCases().map(caseId), [
    'pull/scrape',
    'statsd/perEvent',
    'statsd/buffered',
    'statsd/aggregated',
    'otlp/grpc',
    'otlp/http',
  ]);
  assert.equal(selectCases().length, ALL_CASES.length);
});

test('--arms and --modes narrow the cases', () => {
  assert.deepEqual(selectCases(['statsd']).map(caseId), [
    'statsd/perEvent',
    'statsd/buffered',
    'statsd/aggregated',
  ]);
  assert.deepEqual(selectCases(undefined, ['grpc', 'perEvent']).map(caseId), [
    'statsd/perEvent',
    'otlp/grpc',
  ]);
  assert.deepEqual(selectCases(['pull', 'otlp'], ['scrape', 'http']).map(caseId), [
    'pull/scrape',
    'otlp/http',
  ]);
});

test('comma lists and repeated flags both split into names', () => {
  assert.deepEqual(splitList(['pull,statsd', ' otlp ']), ['pull', 'statsd', 'otlp']);
  assert.deepEqual(splitList('grpc'), ['grpc']);
  assert.equal(splitList(undefined), undefined);
});

test('an unknown arm or mode names the flag, the value and what is allowed', () => {
  assert.throws(
    () => selectCases(['prometheus']),
    /^RangeError: --arms: "prometheus" is not allowed; expected a comma-separated list of pull, statsd, otlp$/,
  );
  assert.throws(
    () => selectCases(undefined, ['udp']),
    /--modes: "udp" is not allowed; expected a comma-separated list of scrape, perEvent, buffered, aggregated, grpc, http/,
  );
});

test('flags that leave nothing to run say which modes the chosen arms have', () => {
  assert.throws(
    () => selectCases(['pull'], ['buffered']),
    /--modes: buffered leaves nothing to run for --arms pull; the modes of those arms are pull: scrape/,
  );
  assert.throws(() => selectCases([]), /--arms: empty/);
});

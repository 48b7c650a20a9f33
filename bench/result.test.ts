import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseFigures, pooledBaseline, sinkKeptUp } from './result.ts';
import { OTLP_OK, SCRAPES_OK, sampleResult, UDP_KEPT_UP, UDP_LOST } from './testdata/sample-results.ts';

const PULL = { arm: 'pull', mode: 'scrape' } as const;

test('a case pools the batches of all repeats and keeps each repeat median for the spread', () => {
  const results = [
    sampleResult(PULL, 1, [1000, 1000, 1000], [1100, 1100, 1100], 400_000, SCRAPES_OK),
    sampleResult(PULL, 2, [1200, 1200, 1200], [1300, 1300, 1300], 500_000, SCRAPES_OK),
  ];
  const c = caseFigures(PULL, results, 13_571);
  assert.equal(c.id, 'pull/scrape');
  assert.equal(c.repeats, 2);
  assert.equal(c.library.batches, 6);
  assert.equal(c.library.medianUs, 1.1);
  assert.deepEqual(c.library.repeatMediansUs, [1, 1.2]);
  assert.ok(Math.abs(c.library.spreadPercent! - (0.2 / 1.1) * 100) < 1e-9);
  assert.equal(c.rig.medianUs, 1.2);
  assert.ok(Math.abs(c.overheadPercent! - (0.1 / 1.1) * 100) < 1e-9);
  assert.ok(Math.abs(c.addedNsPerEvent! - 100) < 1e-9);
  assert.equal(c.generator.medianUs, 0.13);
  assert.equal(c.floor, null);
  assert.equal(c.throughput.eventsPerSecond, 450_000);
  assert.ok(Math.abs(c.throughput.headroom! - 450_000 / 13_571) < 1e-9);
  assert.equal(c.throughput.keptUp, true);
});

test('results of other cases are left out, and a case without results has no figures', () => {
  const statsd = { arm: 'statsd', mode: 'perEvent' } as const;
  const results = [sampleResult(statsd, 1, [30_000], [29_000], 30_000, UDP_LOST)];
  const pull = caseFigures(PULL, results, 13_571);
  assert.equal(pull.repeats, 0);
  assert.equal(pull.rig.medianUs, null);
  assert.equal(pull.overheadPercent, null);
  assert.equal(pull.throughput.eventsPerSecond, null);
  assert.equal(pull.throughput.keptUp, null);
  const c = caseFigures(statsd, results, 13_571);
  assert.equal(c.floor?.medianUs, 9);
  assert.ok(c.overheadPercent! < 0, 'a rig cheaper than the library is a negative overhead, not hidden');
  assert.equal(c.throughput.keptUp, false);
});

test('the sink kept up only when everything sent arrived', () => {
  assert.equal(sinkKeptUp(UDP_KEPT_UP), true);
  assert.equal(sinkKeptUp(UDP_LOST), false);
  assert.equal(sinkKeptUp({ ...UDP_KEPT_UP, sendErrors: 1 }), false);
  assert.equal(sinkKeptUp(OTLP_OK), true);
  assert.equal(sinkKeptUp({ ...OTLP_OK, exportsFailed: 1 }), false);
  assert.equal(sinkKeptUp({ ...OTLP_OK, exportsOk: 0 }), false);
  assert.equal(sinkKeptUp(SCRAPES_OK), true);
  assert.equal(sinkKeptUp({ ...SCRAPES_OK, timeouts: 1 }), false);
});

test('the pooled baseline spans every case', () => {
  const results = [
    sampleResult(PULL, 1, [1000, 1000], [1100, 1100], 1, SCRAPES_OK),
    sampleResult({ arm: 'otlp', mode: 'grpc' }, 1, [3000], [3100], 1, OTLP_OK),
  ];
  const b = pooledBaseline(results);
  assert.equal(b.batches, 3);
  assert.equal(b.medianUs, 0.02);
});

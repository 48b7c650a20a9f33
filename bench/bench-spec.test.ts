import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpecFile } from '../api/v1alpha1/load.ts';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { benchSpec, FLOOD_EVENTS_PER_SECOND, openSymbols, peakEventsPerProcess } from './bench-spec.ts';

async function marketOpen(): Promise<ExperimentSpec> {
  const loaded = await loadSpecFile(new URL('../examples/market-open.yaml', import.meta.url).pathname);
  assert.ok(loaded.ok);
  return loaded.document.spec;
}

test('a worker runs one process of the base spec, in one arm and mode, flooding at the open cardinality', async () => {
  const base = await marketOpen();
  const spec = benchSpec(base, { arm: 'statsd', mode: 'perEvent' }, 70);
  assert.deepEqual(Object.keys(spec.arms), ['statsd']);
  assert.equal(spec.arms.statsd?.mode, 'perEvent');
  assert.equal(spec.arms.statsd?.maxBufferBytes, base.arms.statsd?.maxBufferBytes);
  assert.equal(spec.fleet.producers, base.fleet.producersPerProcess);
  assert.equal(spec.fleet.producersPerProcess, base.fleet.producersPerProcess);
  assert.equal(spec.scale, 1);
  assert.deepEqual(spec.series, base.series);
  const [flood] = spec.load.phases;
  assert.equal(spec.load.phases.length, 1);
  assert.equal(flood?.eventsPerSecond, FLOOD_EVENTS_PER_SECOND);
  assert.equal(flood?.symbols, openSymbols(base));
  assert.equal(flood?.durationSeconds, 70);
});

test('otlp takes the mode as its protocol, pull keeps its scrape settings, and --producers resizes', async () => {
  const base = await marketOpen();
  assert.equal(benchSpec(base, { arm: 'otlp', mode: 'http' }, 10).arms.otlp?.protocol, 'http');
  const pull = benchSpec(base, { arm: 'pull', mode: 'scrape' }, 10, 1);
  assert.deepEqual(pull.arms.pull, base.arms.pull);
  assert.equal(pull.fleet.producers, 1);
});

test("one process's share of the peak is what a process must sustain at the open", async () => {
  const base = await marketOpen();
  assert.equal(openSymbols(base), 28);
  // 380,000 events/s over 1,400 producers, 50 per process.
  assert.ok(Math.abs(peakEventsPerProcess(base) - (380_000 * 50) / 1400) < 1e-6);
  assert.ok(Math.abs(peakEventsPerProcess(base, 1) - 380_000 / 1400) < 1e-6);
});

test('a base spec the bench cannot shape is an error naming what failed', async () => {
  const base = await marketOpen();
  assert.throws(
    () => benchSpec(base, { arm: 'pull', mode: 'scrape' }, 100_000),
    /bench: cannot shape a pull\/scrape process from the base spec: spec\./,
  );
});

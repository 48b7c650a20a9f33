/**
 * Samples are fixtures: every file in examples/ must validate, say what it rehearses in its first
 * line, and keep the properties its name promises.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { enabledArms, phasesSeconds, scaledProducers, scheduleSeconds } from './derived.ts';
import { EMBEDDED_DEFAULT_SPEC_PATH } from './embedded-default.ts';
import { loadSpecFile } from './load.ts';
import type { ExperimentDocument } from './schema.ts';
import { formatSpecError } from './validate.ts';

const dir = new URL('../../examples/', import.meta.url);
const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

async function load(name: string): Promise<ExperimentDocument> {
  const result = await loadSpecFile(new URL(name, dir).pathname);
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatSpecError).join('\n'));
  return result.document;
}

test('examples/ holds the three agreed examples at least', () => {
  for (const name of ['market-open.yaml', 'quick.yaml', 'small-buffer.yaml'])
    assert.ok(files.includes(name), name);
});

for (const name of files) {
  test(`examples/${name} validates and starts with a comment saying what it rehearses`, async () => {
    const text = readFileSync(new URL(name, dir), 'utf8');
    assert.match(text, /^# Rehearses /, 'first line must say what the example rehearses');
    const document = await load(name);
    assert.equal(`${document.metadata.name}.yaml`, name, 'metadata.name matches the file name');
  });
}

test('market-open is the full-scale moment: 1,400 producers per arm, 4,000 → 380,000 events/s in 0.8 s', async () => {
  const { spec } = await load('market-open.yaml');
  assert.equal(spec.scale, 1);
  assert.equal(scaledProducers(spec), 1400);
  assert.equal(spec.fleet.producersPerProcess, 50);
  assert.deepEqual(enabledArms(spec), ['pull', 'statsd', 'otlp']);
  const [preOpen, open] = spec.load.phases;
  assert.equal(preOpen?.eventsPerSecond, 4000);
  assert.deepEqual([open?.name, open?.eventsPerSecond, open?.rampSeconds], ['open', 380_000, 0.8]);
  assert.ok((open?.symbols ?? 0) > (preOpen?.symbols ?? 0), 'series grow at the open');
});

test('quick fits a small machine: scale 0.01, about a minute of load, all three arms, bounded', async () => {
  const { spec } = await load('quick.yaml');
  assert.equal(spec.scale, 0.01);
  assert.deepEqual(enabledArms(spec), ['pull', 'statsd', 'otlp']);
  const load_ = phasesSeconds(spec);
  assert.ok(load_ >= 45 && load_ <= 75, `phases last ${load_} s`);
  assert.ok(scheduleSeconds(spec) <= spec.maxDurationSeconds);
  assert.ok(spec.maxDurationSeconds <= 120, 'maxDurationSeconds bounds the run');
});

test('small-buffer is statsd only, one datagram per event, a 4 KiB receive buffer, a short burst', async () => {
  const { spec } = await load('small-buffer.yaml');
  assert.deepEqual(enabledArms(spec), ['statsd']);
  assert.equal(spec.arms.statsd?.mode, 'perEvent');
  assert.equal(spec.arms.statsd?.receiveBufferBytes, 4096);
  assert.ok(phasesSeconds(spec) <= 30);
});

test('the embedded default experiment is examples/quick.yaml', async () => {
  assert.equal(EMBEDDED_DEFAULT_SPEC_PATH, new URL('quick.yaml', dir).pathname);
  const result = await loadSpecFile(EMBEDDED_DEFAULT_SPEC_PATH);
  assert.ok(result.ok);
});

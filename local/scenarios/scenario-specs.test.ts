/**
 * Samples are fixtures: every end-to-end scenario under local/scenarios/ is a folder holding one
 * experiment.yaml and its `*.itest.ts`. This checks, without running anything, that each spec
 * validates (spec/examples.test.ts covers examples/ only), says what it rehearses, is named after
 * its folder, and keeps the properties its test relies on, so a spec edit that would quietly change
 * what a scenario proves fails here first.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { enabledArms, processesPerArm, scheduleSeconds } from '../../api/v1alpha1/derived.ts';
import { loadSpecFile } from '../../api/v1alpha1/load.ts';
import type { ExperimentDocument } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { SCENARIOS_DIR, scenarioSpecFile } from './harness.ts';

const folders = readdirSync(SCENARIOS_DIR)
  .filter((name) => statSync(join(SCENARIOS_DIR, name)).isDirectory())
  .sort();

async function load(name: string): Promise<ExperimentDocument> {
  const result = await loadSpecFile(scenarioSpecFile(name));
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatSpecError).join('\n'));
  return result.document;
}

describe('the end-to-end scenarios', () => {
  it('are the ones the local rehearsal must show', () => {
    assert.deepEqual(folders, [
      'dead-producer',
      'interrupted',
      'no-heartbeat',
      'no-stress',
      'otelcol-refuses',
      'otlp-partition',
      'producer-killed',
      'pull-partition',
      'rig-killed',
      'scrape-timeout',
      'short-lived-jobs',
      'sized',
      'small-buffer',
      'statsd-loss',
    ]);
  });

  for (const name of folders) {
    it(`${name}: validates, says what it rehearses, is named after its folder, has its test, stays short`, async () => {
      const text = readFileSync(scenarioSpecFile(name), 'utf8');
      assert.match(text, /^# Scenario: /, 'the first line says what the scenario rehearses');
      const doc = await load(name);
      assert.equal(doc.metadata.name, `scenario-${name}`);
      assert.ok(
        readdirSync(join(SCENARIOS_DIR, name)).includes(`${name}.itest.ts`),
        `${name}/${name}.itest.ts`,
      );
      const seconds = scheduleSeconds(doc.spec);
      assert.ok(seconds <= doc.spec.maxDurationSeconds, `${seconds} s exceed maxDurationSeconds`);
      assert.ok(
        seconds <= 45,
        `${seconds} s of schedule: scenarios stay short (the whole pass fits in minutes)`,
      );
    });
  }

  it('short-lived-jobs: jobs shorter than a scrape on every path, one longer, and a rename on the Pushgateway', async () => {
    const { spec } = await load('short-lived-jobs');
    const interval = spec.arms.pull?.scrapeIntervalSeconds ?? 0;
    const byPath = (path: string) => (spec.jobs ?? []).filter((b) => b.path === path);
    for (const path of ['pull-direct', 'pushgateway', 'statsd', 'otlp']) {
      assert.ok(
        byPath(path).some((b) => b.lifetimeSeconds * 10 <= interval),
        `${path}: a batch of jobs ≤ 1/10 of a scrape`,
      );
    }
    assert.ok(
      byPath('pull-direct').some((b) => b.lifetimeSeconds > interval),
      'a pull-direct batch outlives a scrape',
    );
    const pushed = byPath('pushgateway')[0];
    assert.ok(
      pushed?.renameAfterJobs !== undefined && pushed.renameAfterJobs < pushed.count,
      'renamed mid-batch',
    );
    assert.equal(
      spec.arms.statsd?.heartbeatIntervalSeconds,
      0,
      'no heartbeat: liveness is not what it measures',
    );
  });

  it('otelcol-refuses: OTLP over HTTP (the exporter that retries) into otelcol with a memory budget only', async () => {
    const { spec } = await load('otelcol-refuses');
    assert.deepEqual(enabledArms(spec), ['otlp']);
    assert.equal(spec.arms.otlp?.protocol, 'http');
    assert.deepEqual(spec.collectors, { otelcol: { memory: '512Mi' }, scaleWithFleet: false });
  });

  it('small-buffer: one datagram per update into a 4 KiB buffer, beside a pull arm with a roomy timeout', async () => {
    const { spec } = await load('small-buffer');
    assert.deepEqual(enabledArms(spec), ['pull', 'statsd']);
    assert.equal(spec.arms.statsd?.mode, 'perEvent');
    assert.equal(spec.arms.statsd?.receiveBufferBytes, 4096);
    assert.equal(spec.arms.pull?.scrapeTimeoutSeconds, spec.arms.pull?.scrapeIntervalSeconds);
    const symbols = spec.load.phases.map((p) => p.symbols);
    assert.ok(Math.max(...symbols) <= 4, 'small bodies: pull must not fail');
  });

  it('scrape-timeout: the series explode at least a thousandfold against the minimum timeout, at a low rate', async () => {
    const { spec } = await load('scrape-timeout');
    assert.equal(spec.arms.pull?.scrapeTimeoutSeconds, 0.1);
    const [calm, explosion] = spec.load.phases;
    assert.equal(calm?.symbols, 1);
    assert.ok((explosion?.symbols ?? 0) >= 1000);
    assert.ok(Math.max(...spec.load.phases.map((p) => p.eventsPerSecond * spec.scale)) <= 200);
    assert.equal(spec.arms.statsd?.receiveBufferBytes, 212_992, 'a roomy buffer: StatsD must not fail');
  });

  it('no-stress: all three arms, a low rate, the default receive buffer', async () => {
    const { spec } = await load('no-stress');
    assert.deepEqual(enabledArms(spec), ['pull', 'statsd', 'otlp']);
    assert.ok(Math.max(...spec.load.phases.map((p) => p.eventsPerSecond * spec.scale)) <= 200);
    assert.equal(spec.arms.statsd?.receiveBufferBytes, 212_992);
  });

  it('producer-killed: two producer processes per arm, so one can die while its arm goes on', async () => {
    const { spec } = await load('producer-killed');
    assert.equal(processesPerArm(spec), 2);
    assert.ok(spec.arms.pull, 'the victim is pull/1');
  });

  it('interrupted: all three arms and a load long enough to be interrupted in the middle', async () => {
    const { spec } = await load('interrupted');
    assert.deepEqual(enabledArms(spec), ['pull', 'statsd', 'otlp']);
    assert.ok(spec.load.phases.reduce((s, p) => s + p.durationSeconds, 0) >= 30);
  });
});

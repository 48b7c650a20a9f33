import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleCollectorResources } from './collector-resources.ts';
import type { RawCollectorResources } from './inputs.ts';

const USE = {
  cpuSeconds: 12.5,
  periods: 400,
  throttledPeriods: 120,
  throttledSeconds: 3.25,
  memoryPeakBytes: 96 * 2 ** 20,
  oomKills: 0,
};

const raw = (over: Partial<RawCollectorResources> = {}): RawCollectorResources => ({
  collector: 'otelcol',
  arm: 'otlp',
  limits: { cpuMillicores: 500, memoryBytes: 128 * 2 ** 20 },
  use: USE,
  source: 'cgroup v1 otelcol',
  restarts: 0,
  ...over,
});

describe('collector resources in the report', () => {
  it('gives every reading as a figure with its source', () => {
    const { collectors, oomSignals } = assembleCollectorResources([raw()], 1000);
    assert.equal(oomSignals.length, 0);
    const c = collectors[0]!;
    assert.equal(c.cpuUsedSeconds.value, 12.5);
    assert.equal(c.throttledPeriods.value, 120);
    assert.equal(c.throttledSeconds.unit, 'seconds');
    assert.match(c.memoryPeakBytes.source, /^cgroup v1 otelcol: memory peak/);
    assert.equal(c.restarts.value, 0);
  });

  it('makes an OOM kill a failure signal of the arm, dated by the exit when known', () => {
    const killed = raw({ use: { ...USE, oomKills: 1 }, exitedAt: '2026-12-01T08:00:10.000Z' });
    const { oomSignals } = assembleCollectorResources([killed], 2000);
    assert.deepEqual(oomSignals, [
      {
        arm: 'otlp',
        atSeconds: Date.parse('2026-12-01T08:00:10.000Z') / 1000,
        detail: 'otelcol was OOM-killed 1 time(s) under a 128 MiB limit',
        source: 'cgroup v1 otelcol: OOM kills (memory.oom_control / memory.events oom_kill)',
      },
    ]);
    const undated = assembleCollectorResources([raw({ use: { ...USE, oomKills: 2 } })], 2000).oomSignals[0]!;
    assert.equal(undated.atSeconds, 2000);
    assert.match(undated.detail, /by the cut-off; the instant is unknown/);
  });

  it('keeps an unread collector as missing figures with the reason, never zeros', () => {
    const { collectors } = assembleCollectorResources(
      [raw({ use: null, missing: 'no cgroup v1 memory hierarchy' })],
      0,
    );
    assert.equal(collectors[0]!.oomKills.value, null);
    assert.equal(collectors[0]!.oomKills.missing, 'no cgroup v1 memory hierarchy');
  });
});

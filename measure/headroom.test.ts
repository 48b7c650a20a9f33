import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSpecText } from '../api/v1alpha1/load.ts';
import { otlpArm, pullArm, statsdArm } from '../report/testdata/builders.ts';
import type { CollectorResources, Figure } from '../report/types.ts';
import { computeHeadroom, udpReceiveBuffer } from './headroom.ts';

const parsed = parseSpecText(
  readFileSync(new URL('../examples/sized-like-prod.yaml', import.meta.url), 'utf8'),
  'x',
);
if (!parsed.ok) throw new Error('sized-like-prod.yaml is invalid');
const spec = parsed.document.spec;
const fig = (value: number | null, unit: Figure['unit'] = 'bytes'): Figure =>
  value === null ? { value, unit, source: 's', missing: 'm' } : { value, unit, source: 's' };

const otelcol: CollectorResources = {
  collector: 'otelcol',
  arm: 'otlp',
  limits: { cpuMillicores: 50, memoryBytes: 64 * 2 ** 20 },
  cpuUsedSeconds: fig(1, 'seconds'),
  throttledPeriods: fig(150, 'count'),
  periods: fig(300, 'count'),
  throttledSeconds: fig(20, 'seconds'),
  memoryPeakBytes: fig(64 * 2 ** 20),
  oomKills: fig(0, 'count'),
  restarts: fig(0, 'count'),
};

describe('headroom', () => {
  it('sets each arm against its limits, the otelcol limiter against its Go heap', () => {
    const h = computeHeadroom({
      spec,
      arms: { pull: pullArm({ p99: 2 }), statsd: statsdArm(), otlp: otlpArm() },
      collectors: [otelcol],
      otelcolHeapPeak: fig(30 * 2 ** 20),
      udpQueue: { peak: fig(208_000), buffer: udpReceiveBuffer(212_992, 212_992) },
    });
    const share = (kind: string) => h.find((e) => e.kind === kind)?.share.value;
    assert.equal(share('scrape-p99-of-timeout'), 0.5);
    assert.equal(share('udp-queue-of-buffer'), 208_000 / 425_984);
    assert.equal(share('collector-memory-of-limit'), 1);
    assert.equal(share('collector-cpu-throttled'), 0.5);
    // 64 Mi: limit 51 MiB, spike 12, soft 39 MiB.
    assert.equal(share('otelcol-memory-of-soft-limit'), 30 / 39);
  });

  it('leaves out the limiter entry without a heap reading, and a buffer whose kernel cap is unknown', () => {
    const h = computeHeadroom({ spec, arms: { otlp: otlpArm() }, collectors: [otelcol] });
    assert.equal(
      h.find((e) => e.kind === 'otelcol-memory-of-soft-limit'),
      undefined,
    );
    const unknown = udpReceiveBuffer(212_992, null);
    assert.equal(unknown.value, null);
    assert.match(unknown.missing!, /rmem_max is not known/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertGolden as assertGoldenFile } from '../testing/golden.ts';
import { otelcolMemorySettings, renderOtelcolConfig } from './otelcol-config.ts';
import { FULL_OTELCOL } from './testdata/render-input.ts';

const assertGolden = (name: string, actual: string) =>
  assertGoldenFile(new URL(`./testdata/${name}`, import.meta.url), actual);

describe('renderOtelcolConfig', () => {
  it('renders the collector as the golden file says', () => {
    assertGolden('otelcol.yaml', renderOtelcolConfig(FULL_OTELCOL));
  });

  it('binds every listener to loopback by default', () => {
    const doc = parse(renderOtelcolConfig(FULL_OTELCOL));
    assert.equal(doc.receivers.otlp.protocols.grpc.endpoint, '127.0.0.1:40040');
    assert.equal(doc.receivers.otlp.protocols.http.endpoint, '127.0.0.1:40041');
    assert.equal(doc.exporters.prometheus.endpoint, '127.0.0.1:40020');
    assert.deepEqual(doc.service.telemetry.metrics.readers[0].pull.exporter.prometheus, {
      host: '127.0.0.1',
      port: 40021,
    });
  });

  it('puts memory_limiter first so overload becomes refusals', () => {
    const doc = parse(renderOtelcolConfig(FULL_OTELCOL));
    assert.deepEqual(doc.service.pipelines.metrics.processors, ['memory_limiter', 'batch']);
    assert.equal(doc.processors.memory_limiter.limit_mib, 512);
    assert.equal(doc.processors.memory_limiter.spike_limit_mib, 128);
  });

  it('rejects a port out of range and a spike limit at or above the limit, naming the field', () => {
    assert.throws(
      () => renderOtelcolConfig({ ...FULL_OTELCOL, grpcPort: 70_000 }),
      /grpcPort: 70000 is not a TCP port/,
    );
    assert.throws(
      () => renderOtelcolConfig({ ...FULL_OTELCOL, memoryLimitMiB: 64, memorySpikeLimitMiB: 64 }),
      /memorySpikeLimitMiB: 64 must be/,
    );
  });
});

describe('otelcol memory settings from its budget', () => {
  it('puts the limiter at 80% of the budget, the spike at a quarter of it, GOMEMLIMIT at the limit', () => {
    assert.deepEqual(otelcolMemorySettings(512 * 2 ** 20), {
      memoryLimitMiB: 409,
      memorySpikeLimitMiB: 102,
      goMemLimit: '409MiB',
    });
    assert.equal(otelcolMemorySettings(40 * 2 ** 20).memoryLimitMiB, 32);
  });

  it('refuses a budget that leaves the limiter under its floor, naming the field', () => {
    assert.throws(
      () => otelcolMemorySettings(10 * 2 ** 20),
      /spec\.collectors\.otelcol\.memory: 10 MiB \(after scaleWithFleet\) is too small; .* at least 40Mi/,
    );
  });
});

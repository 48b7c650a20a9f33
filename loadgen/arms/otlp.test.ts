import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { newProducerLedger } from '../ledger.ts';
import { countingExporter, countPoints, otlpExporterUrl } from './otlp.ts';

/** Just enough of a ResourceMetrics for counting: scopes of metrics of data points. */
const metrics = (pointsPerMetric: number[][]) =>
  ({
    resource: {},
    scopeMetrics: pointsPerMetric.map((metricsInScope) => ({
      scope: { name: 's' },
      metrics: metricsInScope.map((n) => ({ dataPoints: new Array(n).fill({}) })),
    })),
  }) as unknown as ResourceMetrics;

/** An exporter that answers every export with `code`. */
function fakeExporter(code: number): PushMetricExporter {
  return {
    export: (_m, done) => done({ code }),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

describe('otlp arm pieces', () => {
  it('counts the data points of an export', () => {
    assert.equal(countPoints(metrics([[2, 3], [5]])), 10);
  });

  it('books successful exports with their points and failed ones without', () => {
    const ok = newProducerLedger('p0000');
    const exporter = countingExporter(fakeExporter(0), ok);
    let results = 0;
    exporter.export(metrics([[4]]), () => results++);
    exporter.export(metrics([[1, 1]]), () => results++);
    assert.deepEqual([ok.exportsOk, ok.exportsFailed, ok.pointsExported, results], [2, 0, 6, 2]);

    const failed = newProducerLedger('p0001');
    countingExporter(fakeExporter(1), failed).export(metrics([[4]]), () => {});
    assert.deepEqual([failed.exportsOk, failed.exportsFailed, failed.pointsExported], [0, 1, 0]);
  });

  it('posts HTTP exports to /v1/metrics unless a path is given, and keeps gRPC endpoints as they are', () => {
    assert.equal(otlpExporterUrl('http://127.0.0.1:4318', 'http'), 'http://127.0.0.1:4318/v1/metrics');
    assert.equal(otlpExporterUrl('http://c:4318/custom', 'http'), 'http://c:4318/custom');
    assert.equal(otlpExporterUrl('http://127.0.0.1:4317', 'grpc'), 'http://127.0.0.1:4317');
    assert.throws(
      () => otlpExporterUrl('localhost:4317', 'grpc'),
      /--otlp-endpoint: "localhost:4317" is not allowed; expected an http/,
    );
    assert.throws(() => otlpExporterUrl('not a url', 'grpc'), /--otlp-endpoint: "not a url" is not a URL/);
  });
});

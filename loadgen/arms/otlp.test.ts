import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { newLatencyHistogram } from '../latency-histogram.ts';
import { newProducerLedger } from '../ledger.ts';
import { countingExporter, countPoints, otlpExporterUrl } from './otlp.ts';
import {
  type Attempt,
  attemptOutcome,
  type SentRequest,
  STOPPED_RESPONSE,
  watchAttempts,
} from './otlp-attempts.ts';

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

  it('times each export from export() to its result, on the clock it is given', () => {
    let nowMs = 1000;
    const pending: Array<() => void> = [];
    const slow: PushMetricExporter = {
      export: (_m, done) => pending.push(() => done({ code: 0 })),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const latency = newLatencyHistogram();
    const ledger = newProducerLedger('p0000');
    const exporter = countingExporter(slow, ledger, latency, () => nowMs);
    exporter.export(metrics([[1]]), () => {});
    exporter.export(metrics([[1]]), () => {});
    nowMs += 3; // 3 ms: bucket (2 ms, 4 ms]
    pending[0]!();
    nowMs += 600; // 603 ms: bucket (512 ms, 1.024 s]
    pending[1]!();
    assert.equal(latency.count, 2);
    assert.equal(latency.counts[2], 1);
    assert.equal(latency.counts[10], 1);
    assert.equal(latency.count, ledger.exportsOk + ledger.exportsFailed);
  });

  it('watches every request through the innermost transport: a re-send is a retry with the first points', async () => {
    const answers = [{ status: 'retryable' }, { status: 'success' }, { status: 'success' }];
    const inner = { send: async () => answers.shift() };
    const exporter = { _delegate: { _transport: { send: async () => {}, _transport: inner } } };
    const seen: Attempt[] = [];
    const sent: SentRequest[] = [];
    let points = 0;
    const watch = watchAttempts(exporter, () => points, {
      sent: (r) => sent.push(r),
      settled: (a) => seen.push(a),
    });
    assert.ok(watch);
    const first = new Uint8Array([1]);
    const second = new Uint8Array([2]);
    points = 7;
    const send = inner.send as (data: unknown) => Promise<unknown>;
    await send(first);
    points = 99; // read only when a request is first seen
    await send(first); // the retrying layer sends the same request again
    points = 3;
    await send(second);
    assert.deepEqual(sent, [
      { retry: false, points: 7 },
      { retry: true, points: 7 },
      { retry: false, points: 3 },
    ]);
    assert.deepEqual(seen, [
      { retry: false, points: 7, outcome: 'refused' },
      { retry: true, points: 7, outcome: 'accepted' },
      { retry: false, points: 3, outcome: 'accepted' },
    ]);
    // Stopped: nothing more is sent or counted.
    watch.stop();
    assert.equal(await send(new Uint8Array([3])), STOPPED_RESPONSE);
    assert.equal(sent.length, 3);
    assert.equal(seen.length, 3);
    assert.equal(
      watchAttempts({}, () => 0, { sent: () => {}, settled: () => {} }),
      null,
    );
  });

  it("classifies the transport's answers: refused is a retryable answer from the server", () => {
    assert.equal(attemptOutcome({ status: 'success' }), 'accepted');
    // HTTP 429/502/503/504 resolve 'retryable' without an error; a timeout or a network error carries one.
    assert.equal(attemptOutcome({ status: 'retryable', retryInMillis: 0 }), 'refused');
    assert.equal(attemptOutcome({ status: 'retryable', error: new Error('Request timed out') }), 'failed');
    // gRPC: a ServiceError (code and metadata) UNAVAILABLE or RESOURCE_EXHAUSTED is a refusal.
    assert.equal(attemptOutcome({ status: 'failure', error: { code: 14, metadata: {} } }), 'refused');
    assert.equal(attemptOutcome({ status: 'failure', error: { code: 8, metadata: {} } }), 'refused');
    assert.equal(attemptOutcome({ status: 'failure', error: { code: 3, metadata: {} } }), 'failed');
    // An HTTP error's code is its status (400 here), and it has no gRPC metadata.
    assert.equal(attemptOutcome({ status: 'failure', error: { code: 14 } }), 'failed');
    assert.equal(attemptOutcome(undefined), 'failed');
  });

  it("finds the transport of the installed gRPC and HTTP exporters (otlp-exporter-base's internals)", async () => {
    const grpc = new GrpcExporter({ url: 'http://127.0.0.1:1' });
    const http = new ProtoExporter({ url: 'http://127.0.0.1:1/v1/metrics' });
    try {
      for (const exporter of [grpc, http]) {
        assert.ok(watchAttempts(exporter, () => 0, { sent: () => {}, settled: () => {} }));
      }
    } finally {
      await grpc.shutdown();
      await http.shutdown();
    }
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

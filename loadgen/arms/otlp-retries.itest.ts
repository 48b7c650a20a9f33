/**
 * The otlp arm's request books against a real HTTP server on loopback that answers 503 (retryable, with
 * Retry-After: 0 so the test does not wait out a backoff), as otelcol's receiver does when its
 * memory_limiter refuses: the HTTP exporter's RetryingTransport sends the same request again, and
 * watchAttempts sees each request with its points and its outcome (refused, accepted); the export's timing
 * covers every attempt.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { newLatencyHistogram } from '../latency-histogram.ts';
import { newProducerLedger } from '../ledger.ts';
import { countingExporter } from './otlp.ts';
import { newAttemptBooks, recordOutcome, recordSent, watchAttempts } from './otlp-attempts.ts';

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

/** A collector stand-in that refuses the first `refusals` requests with 503 and accepts the rest. */
async function flakyCollector(refusals: number): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      if (requests <= refusals) {
        res.writeHead(503, { 'retry-after': '0' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1/metrics`, requests: () => requests };
}

async function exportOnce(url: string) {
  const inner = new ProtoExporter({ url });
  let retries = 0;
  let pending = 0;
  const attempts = newAttemptBooks();
  assert.ok(
    watchAttempts(inner, () => pending, {
      sent(r) {
        if (r.retry) retries++;
        recordSent(attempts, r.points);
      },
      settled: (a) => recordOutcome(attempts, a.points, a.outcome),
    }),
  );
  const ledger = newProducerLedger('p0000');
  const latency = newLatencyHistogram();
  const provider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: countingExporter(inner, ledger, latency, undefined, (points) => {
          pending = points;
        }),
        exportIntervalMillis: 60_000,
        exportTimeoutMillis: 20_000,
      }),
    ],
  });
  provider.getMeter('retries-test').createCounter('orders').add(1);
  await provider.forceFlush().catch(() => {});
  await provider.shutdown().catch(() => {});
  return { retries: () => retries, ledger, latency, attempts };
}

describe('otlp retries over HTTP against a real server', () => {
  it('counts one retry when the first attempt is refused with 503, and the export succeeds', async () => {
    const c = await flakyCollector(1);
    const r = await exportOnce(c.url);
    // forceFlush() exports, and shutdown() exports the cumulative point once more.
    assert.ok(r.ledger.exportsOk >= 1);
    assert.equal(r.ledger.exportsFailed, 0);
    assert.equal(r.retries(), 1);
    // Every request but the first attempt of each export is a retry.
    assert.equal(c.requests(), r.ledger.exportsOk + r.ledger.exportsFailed + r.retries());
    assert.equal(r.latency.count, r.ledger.exportsOk + r.ledger.exportsFailed);
    // Each request is in the books once, with the export's one point: one refused, the rest accepted.
    assert.equal(r.attempts.requests, c.requests());
    assert.equal(r.attempts.refused, 1);
    assert.equal(r.attempts.pointsRefused, 1);
    assert.equal(r.attempts.accepted, r.ledger.exportsOk);
    assert.equal(r.attempts.pointsAccepted, r.ledger.pointsExported);
    assert.equal(r.attempts.failed, 0);
    assert.equal(r.attempts.pointsSent, c.requests());
  });

  it('counts every retry of an export the collector keeps refusing, which then fails', async () => {
    const c = await flakyCollector(1_000);
    const r = await exportOnce(c.url);
    assert.equal(r.ledger.exportsOk, 0);
    assert.ok(r.ledger.exportsFailed >= 1);
    assert.ok(r.retries() >= 1);
    assert.equal(c.requests(), r.ledger.exportsFailed + r.retries());
    assert.equal(r.latency.count, r.ledger.exportsFailed);
    assert.equal(r.attempts.requests, c.requests());
    assert.equal(r.attempts.refused, c.requests());
    assert.equal(r.attempts.pointsRefused, r.attempts.pointsSent);
    assert.equal(r.attempts.accepted, 0);
  });
});

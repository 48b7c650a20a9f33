/**
 * The otlp producer (HTTP/protobuf) against a minimal OTLP receiver in this test that only counts requests:
 * a unit-level check that each virtual producer exports on its interval, that the ledger's exportsOk equals
 * the requests the receiver accepted, that refusals land in exportsFailed, and that SIGTERM makes the final
 * export. The end-to-end check against the real OpenTelemetry Collector belongs to the collectors' tests.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { LedgerDocument } from './ledger.ts';
import { type ProducerProcess, spawnProducer, tempDir, writeSpec } from './testing/producer-process.ts';

const SPEC = `  scale: 1
  maxDurationSeconds: 60
  fleet:
    producers: 2
    producersPerProcess: 2
  load:
    warmupSeconds: 0.2
    phases:
      - name: steady
        durationSeconds: 30
        eventsPerSecond: 200
        symbols: 3
  series:
    regions: 2
    routes: 3
    statuses: 3
    histogramBuckets: 10
  arms:
    otlp:
      protocol: http
      exportIntervalMs: 200
      temporality: delta
`;

interface Receiver {
  server: Server;
  url: string;
  requests: { path: string; contentType: string; bytes: number }[];
}

/** An OTLP/HTTP endpoint answering every export with `status` (200: an empty ExportMetricsServiceResponse). */
async function startReceiver(status: number): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', bytes });
      res.writeHead(status, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const children: ProducerProcess[] = [];
const servers: Server[] = [];
after(() => {
  for (const c of children) c.kill();
  for (const s of servers) s.close();
});

async function run(status: number, minRequests: number) {
  const receiver = await startReceiver(status);
  servers.push(receiver.server);
  const dir = await tempDir(`otlp-${status}`);
  const spec = await writeSpec(dir, `otlp-${status}`, SPEC);
  const p = spawnProducer([
    '--spec',
    spec,
    '--arm',
    'otlp',
    '--otlp-endpoint',
    receiver.url,
    '--start-at',
    'auto',
  ]);
  children.push(p);
  const ready = await p.waitFor('ready');
  assert.equal(ready.mode, 'http/delta');
  await p.waitFor('phase');
  const deadline = Date.now() + 20_000;
  while (receiver.requests.length < minRequests && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  p.child.kill('SIGTERM');
  assert.equal(await p.exited(), 0, p.stderr());
  const final = p.lines.at(-1)!;
  assert.equal(final.event, 'final');
  return { receiver, ledger: final.ledger as LedgerDocument };
}

describe('otlp producer over HTTP/protobuf', () => {
  it('exports per producer, and the ledger counts exactly the accepted exports and their points', async () => {
    const { receiver, ledger } = await run(200, 6);
    const t = ledger.totals;
    console.log(
      `otlp: ${receiver.requests.length} requests received; ledger exportsOk ${t.exportsOk}, points ${t.pointsExported}`,
    );
    assert.ok(
      receiver.requests.every((r) => r.path === '/v1/metrics' && r.contentType === 'application/x-protobuf'),
    );
    assert.equal(t.exportsOk, receiver.requests.length);
    assert.equal(t.exportsFailed, 0);
    assert.ok(t.pointsExported > 0);
    assert.equal(t.metricUpdates, 2 * t.eventsGenerated);
    for (const l of ledger.producers) assert.ok(l.exportsOk >= 1, `${l.producerId} exported nothing`);
  });

  it('counts refused exports as failed', async () => {
    // 400 is not retryable: each export fails at once.
    const { receiver, ledger } = await run(400, 4);
    assert.equal(ledger.totals.exportsOk, 0);
    assert.equal(ledger.totals.pointsExported, 0);
    assert.equal(ledger.totals.exportsFailed, receiver.requests.length);
  });
});

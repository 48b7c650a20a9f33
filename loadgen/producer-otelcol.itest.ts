/**
 * The otlp producer over gRPC against the real OpenTelemetry Collector (the pinned otelcol build): the
 * points the ledger says were exported equal the points the collector's OTLP receiver accepted
 * (`otelcol_receiver_accepted_metric_points`), and none were refused; every export is timed in the ledger's
 * histogram, and none was retried. Skips, saying why, when otelcol is not built (`npm run tools` builds it).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspectTools } from '../tools/locate.ts';
import type { LedgerDocument } from './ledger.ts';
import { type ProducerProcess, spawnProducer, tempDir, writeSpec } from './testing/producer-process.ts';

const otelcol = inspectTools().find((t) => t.name === 'otelcol');
const skip = otelcol?.present
  ? false
  : `otelcol is not built (expected ${otelcol?.path}); run \`npm run tools\``;

/** A free loopback TCP port (bound and released; the collector takes it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const children: ProducerProcess[] = [];
const collectors: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill();
  for (const c of collectors) c.kill('SIGKILL');
});

/** Reads one counter from the collector's own metrics (0 when absent). */
async function selfMetric(url: string, name: RegExp): Promise<number> {
  const text = await (await fetch(url)).text();
  let total = 0;
  for (const line of text.split('\n')) if (name.test(line)) total += Number(line.split(' ').at(-1));
  return total;
}

describe('otlp producer against the real OpenTelemetry Collector', { skip }, () => {
  it('exports over gRPC, and the ledger points equal the points otelcol accepted', async () => {
    const dir = await tempDir('otelcol');
    const [grpcPort, telemetryPort, promPort] = [await freePort(), await freePort(), await freePort()];
    const config = join(dir, 'otelcol.yaml');
    await writeFile(
      config,
      `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${grpcPort}
exporters:
  prometheus:
    endpoint: 127.0.0.1:${promPort}
service:
  telemetry:
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: ${telemetryPort}
  pipelines:
    metrics:
      receivers: [otlp]
      exporters: [prometheus]
`,
    );
    const collector = spawn(otelcol!.path, ['--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    collectors.push(collector);
    let log = '';
    collector.stderr!.setEncoding('utf8');
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`otelcol did not start within 20 s:\n${log}`)), 20_000);
      collector.stderr!.on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('Everything is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await ready;

    const spec = await writeSpec(
      dir,
      'otelcol-grpc',
      `  maxDurationSeconds: 60
  fleet:
    producers: 3
    producersPerProcess: 3
  load:
    warmupSeconds: 0.2
    phases:
      - name: steady
        durationSeconds: 2
        eventsPerSecond: 300
        symbols: 3
  arms:
    otlp:
      protocol: grpc
      exportIntervalMs: 500
  collection:
    drainSeconds: 0.5
`,
    );
    const p = spawnProducer([
      '--spec',
      spec,
      '--arm',
      'otlp',
      '--otlp-endpoint',
      `http://127.0.0.1:${grpcPort}`,
      '--start-at',
      'auto',
    ]);
    children.push(p);
    await p.waitFor('load-complete');
    p.child.kill('SIGTERM');
    assert.equal(await p.exited(), 0, p.stderr());
    const ledger = p.lines.at(-1)!.ledger as LedgerDocument;
    const telemetry = `http://127.0.0.1:${telemetryPort}/metrics`;
    const accepted = await selfMetric(
      telemetry,
      /^otelcol_receiver_accepted_metric_points(_total)?\{.*transport="grpc"/,
    );
    const refused = await selfMetric(
      telemetry,
      /^otelcol_receiver_refused_metric_points(_total)?\{.*transport="grpc"/,
    );
    console.log(
      `otelcol: ledger exportsOk ${ledger.totals.exportsOk}, points ${ledger.totals.pointsExported}; collector accepted ${accepted}, refused ${refused}`,
    );
    assert.ok(ledger.totals.exportsOk > 0);
    assert.equal(ledger.totals.exportsFailed, 0);
    assert.equal(ledger.totals.pointsExported, accepted);
    assert.equal(refused, 0);
    const timed = ledger.exportLatencyBuckets;
    assert.ok(timed, 'the otlp ledger carries exportLatencyBuckets');
    console.log(
      `otelcol: export durations per bucket ${JSON.stringify(timed.counts)} (bounds ${timed.boundsSeconds[0]} s × 2^k)`,
    );
    assert.equal(timed.count, ledger.totals.exportsOk + ledger.totals.exportsFailed);
    assert.equal(
      timed.counts.reduce((a, b) => a + b, 0),
      timed.count,
    );
    assert.equal(ledger.exportRetries, 0);
    assert.equal(ledger.sentPer100ms, null);
  });
});

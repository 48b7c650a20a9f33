/**
 * The real collectors, started the way `pushpull run` starts them: every one answers on 127.0.0.1 only,
 * StatsD datagrams reach statsd_exporter's /metrics, an OTLP/HTTP export reaches otelcol's Prometheus
 * exporter, a pull target added later is scraped after a reload, the rig Prometheus records the kernel
 * counters, and after stop() no child is left and every port is free.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import { Supervisor } from '../process/supervisor.ts';
import { locateTools } from '../tools/locate.ts';
import { type RunningCollectors, startCollectors } from './collectors.ts';

const outDir = mkdtempSync(join(tmpdir(), 'pushpull-collectors-'));
const supervisor = new Supervisor({ signals: 'none' });
let collectors: RunningCollectors;
let target: Server;
let targetPort = 0;

const validated = validateSpec({
  scale: 1,
  fleet: { producers: 1, producersPerProcess: 1 },
  load: {
    warmupSeconds: 0,
    phases: [{ name: 'steady', durationSeconds: 5, eventsPerSecond: 10, symbols: 1 }],
  },
  arms: {
    pull: { scrapeIntervalSeconds: 1, scrapeTimeoutSeconds: 1 },
    statsd: { receiveBufferBytes: 65_536 },
    otlp: { protocol: 'http' },
  },
});
if (!validated.ok) throw new Error(`test spec invalid: ${validated.errors.map((e) => e.message).join('; ')}`);
const spec = validated.spec;

async function poll<T>(what: string, read: () => Promise<T | undefined>, tries = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await read();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen in ${tries} tries${last ? `: ${String(last)}` : ''}`);
}

async function text(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200, `GET ${url}`);
  return res.text();
}

async function query(
  baseUrl: string,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const body = JSON.parse(await text(`${baseUrl}/api/v1/query?query=${encodeURIComponent(promql)}`));
  return body.data.result;
}

/** Local addresses of the TCP sockets listening on `port` (hex from /proc/net/tcp{,6}). */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let table = '';
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const [addr, portHex] = (f[1] ?? '').split(':');
      if (f[3] === '0A' && portHex !== undefined && Number.parseInt(portHex, 16) === port)
        out.push(addr ?? '');
    }
  }
  return out;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

before(async () => {
  target = createServer((req, res) => {
    if (req.url === '/targets/pull-1/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('orders_total{route="a"} 42\n');
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetPort = (target.address() as { port: number }).port;
  collectors = await startCollectors({ experiment: 'itest', spec, outDir, tools: locateTools(), supervisor });
});

after(async () => {
  await supervisor.stopAll();
  await new Promise<void>((r) => target.close(() => r()));
  rmSync(outDir, { recursive: true, force: true });
});

describe('startCollectors', () => {
  it('starts every collector of the spec, each listening on 127.0.0.1 only', async () => {
    const e = collectors.endpoints;
    assert.deepEqual(collectors.children.map((c) => c.name).sort(), [
      'otelcol',
      'prometheus-rig',
      'prometheus-subject',
      'statsd_exporter',
      'udp-counters',
    ]);
    const urls = [
      `${e.subjectPrometheusUrl}/-/ready`,
      `${e.rigPrometheusUrl}/-/ready`,
      `${e.udpCountersUrl}/metrics`,
      e.statsd!.metricsUrl,
      e.otlp!.exporterMetricsUrl,
      e.otlp!.telemetryMetricsUrl,
    ];
    for (const url of urls) {
      await text(url);
      assert.deepEqual(listeners(portOf(url)), ['0100007F'], `${url} listens on 127.0.0.1 only`);
    }
    assert.deepEqual(listeners(portOf(e.otlp!.httpUrl)), ['0100007F']);
    assert.deepEqual(listeners(Number(e.otlp!.grpcEndpoint.split(':')[1])), ['0100007F']);
    assert.equal(e.statsd!.udpHost, '127.0.0.1');
    assert.equal(e.statsd!.readBufferBytes, 65_536);
  });

  it('passes StatsD datagrams through to statsd_exporter /metrics', async () => {
    const { udpHost, udpPort, metricsUrl } = collectors.endpoints.statsd!;
    const socket = createSocket('udp4');
    try {
      for (let i = 0; i < 10; i++) {
        await new Promise<void>((resolve, reject) =>
          socket.send('itest_orders:1|c|#route:a', udpPort, udpHost, (err) =>
            err ? reject(err) : resolve(),
          ),
        );
      }
    } finally {
      socket.close();
    }
    const body = await poll('statsd_exporter counting 10 orders', async () => {
      const t = await text(metricsUrl);
      return /^itest_orders\{route="a"\} 10$/m.test(t) ? t : undefined;
    });
    assert.match(body, /^statsd_exporter_udp_packets_total 10$/m);
  });

  it('passes an OTLP/HTTP export through to otelcol Prometheus exporter', async () => {
    const { httpUrl, exporterMetricsUrl } = collectors.endpoints.otlp!;
    const now = `${BigInt(Date.now()) * 1_000_000n}`;
    const payload = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'producer', value: { stringValue: 'otlp-1' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'itest_exports',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [{ asInt: '5', startTimeUnixNano: now, timeUnixNano: now }],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(`${httpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(res.status, 200);
    await poll('otelcol exporting itest_exports', async () =>
      /^itest_exports_total\{.*producer="otlp-1".*\} 5$/m.test(await text(exporterMetricsUrl))
        ? true
        : undefined,
    );
  });

  it('scrapes a pull target added after start, once the config is reloaded', async () => {
    await collectors.setPullTargets([{ producerId: 'pull-1', address: `127.0.0.1:${targetPort}` }]);
    const health = await poll('the pull target up', async () => {
      const h = await collectors.pullTargetHealth();
      return h.up === 1 ? h : undefined;
    });
    assert.equal(health.total, 1);
    const rows = await poll('orders_total in the subject', async () => {
      const r = await query(collectors.endpoints.subjectPrometheusUrl, 'orders_total{job="pull"}');
      return r.length > 0 ? r : undefined;
    });
    assert.equal(rows[0]!.metric.producer, 'pull-1');
    assert.equal(rows[0]!.metric.arm, 'pull');
    assert.equal(rows[0]!.metric.experiment, 'itest');
    const bodySize = await poll('scrape_body_size_bytes (extra_scrape_metrics)', async () => {
      const r = await query(collectors.endpoints.subjectPrometheusUrl, 'scrape_body_size_bytes{job="pull"}');
      return r.length > 0 ? r : undefined;
    });
    assert.ok(Number(bodySize[0]!.value[1]) > 0);
  });

  it('records the kernel UDP counters and collectors self metrics in the rig Prometheus', async () => {
    const rig = collectors.endpoints.rigPrometheusUrl;
    for (const promql of [
      'pushpull_kernel_udp_in_datagrams_total',
      'pushpull_kernel_udp_socket_drops_total',
      'statsd_exporter_udp_packets_total',
      // otelcol 0.165's own telemetry, as the rig stores it: no `_total` suffix.
      'otelcol_receiver_accepted_metric_points',
      'otelcol_receiver_refused_metric_points',
      'prometheus_target_scrape_pools_total',
    ]) {
      await poll(`${promql} in the rig Prometheus`, async () =>
        (await query(rig, promql)).length > 0 ? true : undefined,
      );
    }
    // The pushed series stay out of the rig's copy of statsd_exporter.
    assert.deepEqual(await query(rig, 'itest_orders'), []);
  });

  it('stops every collector: no process left, every port free', async () => {
    const children = collectors.children;
    const e = collectors.endpoints;
    await collectors.stop();
    for (const c of children) {
      assert.equal(c.isRunning(), false, `${c.name} stopped`);
      assert.throws(() => process.kill(c.pid, 0), /ESRCH/, `${c.name} (pid ${c.pid}) is gone`);
    }
    const ports = [
      portOf(e.subjectPrometheusUrl),
      portOf(e.rigPrometheusUrl),
      portOf(e.udpCountersUrl),
      portOf(e.statsd!.metricsUrl),
      portOf(e.otlp!.exporterMetricsUrl),
      portOf(e.otlp!.telemetryMetricsUrl),
      portOf(e.otlp!.httpUrl),
      Number(e.otlp!.grpcEndpoint.split(':')[1]),
    ];
    for (const port of ports) assert.deepEqual(listeners(port), [], `port ${port} is free`);
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(e.statsd!.udpPort, '127.0.0.1', () => resolve());
    });
    udp.close();
    const logs = collectors.files.logs;
    assert.ok(readFileSync(logs['prometheus-subject']!, 'utf8').length > 0, 'the subject log is kept');
  });
});

/**
 * The offset rule against the real thing: a real Prometheus (the pinned build in the tools cache) scrapes
 * eight pull targets on a tiny loopback HTTP server, with the scrape config the local runtime renders;
 * each target's `up` sample timestamps, modulo the interval, must sit where prometheus-offset.ts says.
 * The server's seed needs its FQDN, which Go's osutil.GetFQDN() resolves through /etc/hosts or DNS; the
 * test tries the hostname and the names /etc/hosts gives its address, and one of them must place every
 * target (eight targets within ±25 ms of a 1 s interval cannot match by chance: 0.05^8).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SUBJECT_JOBS } from '../collectors/jobs.ts';
import { renderSubjectPrometheusConfig } from '../local/render-prometheus.ts';
import { freePort } from '../process/ports.ts';
import { Supervisor } from '../process/supervisor.ts';
import { producerId } from '../schedule/fleet.ts';
import { makeTempDir } from '../testing/temp-dir.ts';
import { inspectTools } from '../tools/locate.ts';
import { localPullTargetLabels, offsetSeed, scrapeOffsetMs } from './prometheus-offset.ts';

const TARGETS = 8;
const INTERVAL_MS = 1000;
const TOLERANCE_MS = 25;
const EXPERIMENT = 'offset-check';

/** The hostname and every name /etc/hosts gives the addresses it lists for the hostname. */
function fqdnCandidates(): string[] {
  const host = hostname();
  const lines = readFileSync('/etc/hosts', 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
    .filter((f) => f.length >= 2);
  const addresses = lines.filter((f) => f.slice(1).includes(host)).map((f) => f[0]);
  const names = lines.filter((f) => addresses.includes(f[0])).map((f) => f[1]!);
  return [...new Set([host, ...names, ...names.map((n) => `${n}.`)])];
}

const prometheus = inspectTools().find((t) => t.name === 'prometheus');
const supervisor = new Supervisor();
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(`# TYPE x gauge\nx{path="${req.url}"} 1\n`);
});
after(async () => {
  await supervisor.stopAll();
  server.close();
});

describe('Prometheus offset rule against a real Prometheus', {
  skip: prometheus?.present ? false : 'prometheus is not built (npm run tools)',
}, () => {
  it("puts every target's scrapes where the rule says", async () => {
    const dir = makeTempDir('simulate-offset');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const ids = Array.from({ length: TARGETS }, (_, i) => producerId(i));
    const config = renderSubjectPrometheusConfig({
      experiment: EXPERIMENT,
      pull: {
        scrapeIntervalSeconds: INTERVAL_MS / 1000,
        scrapeTimeoutSeconds: 1,
        sampleLimit: 0,
        bodySizeLimitBytes: 0,
      },
      pullTargets: ids.map((id) => ({ producerId: id, address })),
    });
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const webPort = await freePort();
    await supervisor.start({
      name: 'prometheus',
      command: prometheus!.path,
      args: [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${webPort}`,
      ],
      logFile: join(dir, 'prometheus.log'),
      ready: { kind: 'http', url: `http://127.0.0.1:${webPort}/-/ready` },
    });
    // The scrape manager applies discovered targets about 5 s after start; then one scrape per second.
    await new Promise((r) => setTimeout(r, 10_000));
    const url = `http://127.0.0.1:${webPort}/api/v1/query?query=${encodeURIComponent(`up{job="${SUBJECT_JOBS.pull}"}[10s]`)}`;
    const body = (await (await fetch(url)).json()) as {
      data: { result: Array<{ metric: { producer: string }; values: Array<[number, string]> }> };
    };
    const measured = new Map<string, number[]>();
    for (const r of body.data.result) {
      measured.set(
        r.metric.producer,
        r.values.map(([t]) => Math.round(t * 1000) % INTERVAL_MS),
      );
    }
    assert.equal(measured.size, TARGETS, `expected ${TARGETS} targets' up series, got ${measured.size}`);
    for (const [id, stamps] of measured)
      assert.ok(stamps.length >= 3, `${id}: only ${stamps.length} scrapes`);

    const circular = (a: number, b: number) => {
      const d = Math.abs(a - b) % INTERVAL_MS;
      return Math.min(d, INTERVAL_MS - d);
    };
    const tried: string[] = [];
    let matched: string | undefined;
    for (const fqdn of fqdnCandidates()) {
      const seed = offsetSeed(fqdn);
      const worst = Math.max(
        ...ids.map((id) => {
          const predicted = scrapeOffsetMs(
            localPullTargetLabels({
              address,
              producerId: id,
              experiment: EXPERIMENT,
              job: SUBJECT_JOBS.pull,
              scrapeIntervalMs: INTERVAL_MS,
              scrapeTimeoutMs: 1000,
            }),
            INTERVAL_MS,
            seed,
          );
          return Math.max(...(measured.get(id) ?? [Number.NaN]).map((m) => circular(m, predicted)));
        }),
      );
      tried.push(`${fqdn}: worst ${worst.toFixed(1)} ms`);
      if (worst <= TOLERANCE_MS) {
        matched = fqdn;
        break;
      }
    }
    console.log(`offset rule: ${tried.join('; ')}; measured ${JSON.stringify(Object.fromEntries(measured))}`);
    assert.ok(
      matched,
      `no FQDN candidate placed all ${TARGETS} targets within ${TOLERANCE_MS} ms: ${tried.join('; ')}`,
    );
  });
});

/**
 * The pull producer over real HTTP: every virtual target answers its own /targets/<id>/metrics, bodies grow
 * when the schedule moves to the phase with more symbols, the rig endpoint arms the schedule (POST /start)
 * and counts scrapes in the ledger, and SIGTERM ends it with exit 0 and a final ledger.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { LedgerDocument } from './ledger.ts';
import {
  httpGet,
  httpPostJson,
  type ProducerProcess,
  spawnProducer,
  tempDir,
  writeSpec,
} from './testing/producer-process.ts';

const SPEC = `  scale: 1
  maxDurationSeconds: 120
  fleet:
    producers: 3
    producersPerProcess: 3
  load:
    warmupSeconds: 1
    phases:
      - name: pre-open
        durationSeconds: 1
        eventsPerSecond: 30
        symbols: 2
      - name: open
        durationSeconds: 60
        eventsPerSecond: 300
        rampSeconds: 0.2
        symbols: 12
  series:
    regions: 2
    routes: 3
    statuses: 3
    histogramBuckets: 10
  arms:
    pull: {}
  collection:
    drainSeconds: 1
`;

const children: ProducerProcess[] = [];
after(() => {
  for (const c of children) c.kill();
});

/** Polls /healthz until `phase` is in force (bounded). */
async function waitForPhase(rig: string, phase: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = JSON.parse((await httpGet(`${rig}/healthz`)).body) as { phase: string | null };
    if (health.phase === phase) return;
    if (Date.now() > deadline) throw new Error(`phase ${phase} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('pull producer over HTTP', () => {
  it('serves every virtual target, grows the bodies at the open, and counts scrapes in the ledger', async () => {
    const dir = await tempDir('pull');
    const spec = await writeSpec(dir, 'pull-growth', SPEC);
    const p = spawnProducer(['--spec', spec, '--arm', 'pull']);
    children.push(p);
    const ready = await p.waitFor('ready');
    const producers = ready.producers as string[];
    assert.deepEqual(producers, ['p0000', 'p0001', 'p0002']);
    const metrics = `http://127.0.0.1:${ready.metricsPort}`;
    const rig = `http://127.0.0.1:${ready.rigPort}`;

    const listed = JSON.parse((await httpGet(`${metrics}/targets`)).body) as { targets: string[] };
    assert.deepEqual(
      listed.targets,
      producers.map((id) => `/targets/${id}/metrics`),
    );
    assert.equal((await httpGet(`${metrics}/targets/p9999/metrics`)).status, 404);

    // Before the start: each target already exposes the first phase's series.
    const before: number[] = [];
    for (const id of producers) {
      const res = await httpGet(`${metrics}/targets/${id}/metrics`);
      assert.equal(res.status, 200);
      assert.match(
        res.body,
        /^orders_total\{region="us-east-1",symbol="AAAB",route="direct",status="filled"\} 0$/m,
      );
      assert.match(
        res.body,
        /^order_latency_seconds_bucket\{le="\+Inf",region="us-west-2",symbol="AAAB",route="smart"\} 0$/m,
      );
      before.push(Buffer.byteLength(res.body));
    }
    const health = JSON.parse((await httpGet(`${rig}/healthz`)).body) as Record<string, unknown>;
    assert.equal(health.armed, false);
    assert.equal(health.stage, 'unarmed');

    // Arm it through the rig endpoint, as the runner does; a bad body or another instant is refused.
    const startAt = new Date(Date.now() + 300).toISOString();
    assert.equal((await httpPostJson(`${rig}/start`, '{not json')).status, 400);
    const bad = await httpPostJson(`${rig}/start`, { startAt: 'soon' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /startAt: \\"soon\\" is not an instant/);
    assert.deepEqual(await httpPostJson(`${rig}/start`, { startAt }), { status: 200, body: { startAt } });
    assert.equal(
      (await httpPostJson(`${rig}/start`, { startAt })).status,
      200,
      'the same instant again is a no-op',
    );
    assert.equal((await httpPostJson(`${rig}/start`, { startAt: '2030-01-01T00:00:00Z' })).status, 409);

    await waitForPhase(rig, 'open');
    const during: number[] = [];
    // Every scrape of the open and the bytes it served, per target: what the ledger must have counted.
    const openScrapes: number[] = [];
    const openBytes: number[] = [];
    for (const id of producers) {
      // The open's series are declared on the generator's first tick in the phase, which on a loaded
      // machine may come a moment after the stage says "open": scrape again (bounded) until they show.
      let res = await httpGet(`${metrics}/targets/${id}/metrics`);
      let scrapes = 1;
      let bytes = Buffer.byteLength(res.body);
      for (let i = 0; i < 50 && !/symbol="AAAL"/.test(res.body); i++) {
        await new Promise((r) => setTimeout(r, 100));
        res = await httpGet(`${metrics}/targets/${id}/metrics`);
        scrapes++;
        bytes += Buffer.byteLength(res.body);
      }
      openScrapes.push(scrapes);
      openBytes.push(bytes);
      assert.equal(res.status, 200);
      assert.match(res.body, /symbol="AAAL"/, 'the open phase trades 12 symbols: AAAA..AAAL');
      during.push(Buffer.byteLength(res.body));
    }
    console.log(
      `pull target bodies: before ${before.join(', ')} bytes; during the open ${during.join(', ')} bytes`,
    );
    for (let i = 0; i < producers.length; i++) {
      assert.ok(during[i]! > 5 * before[i]!, `target ${producers[i]}: ${before[i]} -> ${during[i]} bytes`);
    }

    const ledger = JSON.parse((await httpGet(`${rig}/ledger`)).body) as LedgerDocument;
    assert.equal(ledger.final, false);
    assert.equal(ledger.arm, 'pull');
    assert.equal(ledger.startAt, startAt);
    for (const [i, l] of ledger.producers.entries()) {
      assert.equal(l.scrapesServed, 1 + openScrapes[i]!);
      assert.equal(l.bytesSent, before[i]! + openBytes[i]!);
      assert.equal(l.lastBodyBytes, during[i]);
      assert.ok(l.eventsGenerated > 0);
    }

    p.child.kill('SIGTERM');
    assert.equal(await p.exited(), 0, p.stderr());
    const final = p.lines.at(-1)!;
    assert.equal(final.event, 'final');
    assert.equal((final.ledger as LedgerDocument).final, true);
    assert.equal(final.reason, 'SIGTERM');
  });

  it('reports a bad flag as one JSON error line and exit code 2', async () => {
    const dir = await tempDir('pull-bad');
    const spec = await writeSpec(dir, 'pull-bad', SPEC);
    const p = spawnProducer(['--spec', spec, '--arm', 'statsd']);
    children.push(p);
    assert.equal(await p.exited(), 2);
    assert.equal(p.lines.length, 1);
    assert.equal(p.lines[0]!.event, 'error');
    assert.match(
      String(p.lines[0]!.message),
      /--arm: statsd is not an arm of this spec \(spec.arms has pull\)/,
    );
  });
});

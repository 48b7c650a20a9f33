/**
 * The statsd producer against a real UDP socket on loopback. The receiver is a sink process
 * (testing/udp-sink.ts) with a deliberately small SO_RCVBUF, stalled once during the burst so the kernel must
 * drop datagrams. Where the machine allows it (root), sink and producer share a private network namespace,
 * so the namespace's kernel counters see only this test's traffic: a quiet loopback even while other tests run. The books then close exactly: on a quiet loopback every datagram the ledger
 * says was sent was either received or counted by the kernel as a receive-buffer drop
 * (`/proc/net/snmp` Udp RcvbufErrors). Also: SIGTERM flushes what hot-shots or the producer's aggregator
 * still buffers, writes the final ledger and exits 0.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readUdpCounters, udpDelta } from '../measure/udp-snmp.ts';
import type { LedgerDocument } from './ledger.ts';
import {
  type ProducerProcess,
  spawnProducer,
  startUdpSink,
  tempDir,
  type UdpSink,
  writeSpec,
} from './testing/producer-process.ts';

function statsdSpec(statsdYaml: string, phases: string): string {
  return `  scale: 1
  maxDurationSeconds: 60
  fleet:
    producers: 4
    producersPerProcess: 4
  load:
    warmupSeconds: 0.3
    phases:
${phases}
  series:
    regions: 2
    routes: 3
    statuses: 3
    histogramBuckets: 10
  arms:
    statsd:
${statsdYaml}
  collection:
    drainSeconds: 0.5
`;
}

const BURST_PHASES = `      - name: pre-open
        durationSeconds: 1
        eventsPerSecond: 400
        symbols: 2
      - name: open
        durationSeconds: 2
        eventsPerSecond: 4000
        rampSeconds: 0.2
        symbols: 10`;

const children: ProducerProcess[] = [];
const sinks: UdpSink[] = [];
after(() => {
  for (const c of children) c.kill();
  for (const s of sinks) s.close();
});

async function runBurst(mode: string) {
  const dir = await tempDir(`statsd-${mode}`);
  const spec = await writeSpec(
    dir,
    `books-${mode.toLowerCase()}`,
    statsdSpec(`      mode: ${mode}\n      flushIntervalMs: 100\n      flushJitter: false`, BURST_PHASES),
  );
  // 4 KiB asked; the kernel doubles it and keeps a minimum: a few dozen small datagrams fit.
  const sink = await startUdpSink(4096, true);
  sinks.push(sink);
  const ledgerOut = join(dir, 'ledger.json');
  const before = await readUdpCounters(sink.snmpPath);
  const p = spawnProducer(
    [
      '--spec',
      spec,
      '--arm',
      'statsd',
      '--statsd',
      `127.0.0.1:${sink.port}`,
      '--start-at',
      'auto',
      '--ledger-out',
      ledgerOut,
      '--progress-interval-ms',
      '500',
    ],
    sink.privateNetns ? sink.pid : undefined,
  );
  children.push(p);
  await p.waitFor('ready');
  await waitForPhase(p, 'open');
  sink.stall(300);
  await p.waitFor('load-complete');
  p.child.kill('SIGTERM');
  const code = await p.exited();
  const received = await sink.countWhenQuiet(300);
  const delta = udpDelta(before, await readUdpCounters(sink.snmpPath));
  const final = p.lines.at(-1)!;
  const ledger = JSON.parse(await readFile(ledgerOut, 'utf8')) as LedgerDocument;
  return { code, final, ledger, received, drops: delta.RcvbufErrors ?? Number.NaN, p, sink };
}

async function waitForPhase(
  p: ProducerProcess,
  name: string,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = p.lines.find((l) => l.event === 'phase' && l.phase === name);
    if (line) return line;
    if (Date.now() > deadline)
      throw new Error(`no "${name}" phase line within ${timeoutMs} ms: ${JSON.stringify(p.lines)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('statsd producer on a real loopback UDP socket', () => {
  for (const mode of ['perEvent', 'buffered', 'aggregated']) {
    it(`closes the books in ${mode} mode: datagrams sent = received + kernel RcvbufErrors`, async () => {
      const r = await runBurst(mode);
      assert.equal(r.code, 0, r.p.stderr());
      assert.equal(r.final.event, 'final');
      assert.equal(r.ledger.final, true);
      const t = r.ledger.totals;
      console.log(
        `${mode}: events ${t.eventsGenerated}, datagrams sent ${t.datagramsSent}, received ${r.received}, ` +
          `kernel RcvbufErrors ${r.drops}, send errors ${t.sendErrors} (${r.sink.privateNetns ? 'private' : 'shared'} network namespace)`,
      );
      assert.ok(t.eventsGenerated > 0);
      assert.equal(t.metricUpdates, 2 * t.eventsGenerated);
      assert.equal(t.sendErrors, 0);
      assert.ok(r.drops > 0, 'the stalled sink should have overflowed its small buffer');
      assert.equal(
        t.datagramsSent,
        r.received + r.drops,
        'sent != received + RcvbufErrors: is something else dropping UDP on this machine (a quiet loopback is assumed)?',
      );
      // Every datagram sent is in exactly one 100 ms send slot.
      const slots = r.ledger.sentPer100ms;
      assert.ok(slots, 'the statsd ledger carries sentPer100ms');
      assert.equal(slots.evicted, 0);
      assert.equal(
        slots.slots.reduce((n, [, c]) => n + c, 0),
        t.datagramsSent,
      );
      console.log(
        `${mode}: busiest 100 ms slot ${Math.max(...slots.slots.map(([, c]) => c))} datagrams over ${slots.slots.length} slots`,
      );
      assert.equal(r.ledger.exportLatencyBuckets, null);
    });
  }

  it('flushes buffered and aggregated data on SIGTERM, writes the final ledger and exits 0', async () => {
    for (const mode of ['buffered', 'aggregated']) {
      const dir = await tempDir(`sigterm-${mode}`);
      // A flush interval longer than the test and a roomy buffer: nothing leaves before SIGTERM.
      const spec = await writeSpec(
        dir,
        `sigterm-${mode.toLowerCase()}`,
        statsdSpec(
          `      mode: ${mode}\n      flushIntervalMs: 60000\n      maxBufferBytes: 65000`,
          `      - name: slow
        durationSeconds: 30
        eventsPerSecond: 40
        symbols: 2`,
        ),
      );
      // Aggregated flushes sit on the wall clock's interval grid (loadgen/flush-schedule.ts): with a 60 s
      // interval one falls on every minute. Start clear of the next one, so none comes before SIGTERM.
      const toNextMinute = 60_000 - (Date.now() % 60_000);
      if (toNextMinute < 20_000) await new Promise((r) => setTimeout(r, toNextMinute + 250));
      const sink = await startUdpSink(1 << 20, false);
      sinks.push(sink);
      const p = spawnProducer(
        ['--spec', spec, '--arm', 'statsd', '--statsd', `127.0.0.1:${sink.port}`],
        sink.privateNetns ? sink.pid : undefined,
      );
      children.push(p);
      const ready = await p.waitFor('ready');
      // No --start-at: arm it through the rig endpoint, as the runner does.
      const res = await fetch(`http://127.0.0.1:${ready.rigPort}/start`, {
        method: 'POST',
        body: JSON.stringify({ startAt: new Date(Date.now() + 100).toISOString() }),
      });
      assert.equal(res.status, 200);
      await waitForPhase(p, 'slow');
      // Let some events accumulate (bounded by the progress lines, not by wall-clock assertions).
      await waitForEvents(p, 10);
      assert.equal(await sink.countWhenQuiet(0), 0, `${mode}: nothing should have been sent before SIGTERM`);
      p.child.kill('SIGTERM');
      assert.equal(await p.exited(), 0, p.stderr());
      const received = await sink.countWhenQuiet(200);
      const final = p.lines.at(-1)!;
      assert.equal(final.event, 'final');
      const ledger = final.ledger as LedgerDocument;
      assert.equal(ledger.final, true);
      assert.ok(ledger.totals.eventsGenerated >= 10);
      assert.ok(ledger.totals.datagramsSent > 0, `${mode}: the buffered data should have been flushed`);
      assert.equal(received, ledger.totals.datagramsSent);
    }
  });

  it('writes the final ledger to --ledger-out after SIGTERM', async () => {
    const dir = await tempDir('ledger-out');
    const spec = await writeSpec(
      dir,
      'ledger-out',
      statsdSpec(
        '      mode: buffered\n      flushIntervalMs: 60000',
        `      - name: slow
        durationSeconds: 30
        eventsPerSecond: 40
        symbols: 2`,
      ),
    );
    const sink = await startUdpSink(1 << 20, false);
    sinks.push(sink);
    const ledgerOut = join(dir, 'nested', 'ledger.json');
    const p = spawnProducer(
      [
        '--spec',
        spec,
        '--arm',
        'statsd',
        '--statsd',
        `127.0.0.1:${sink.port}`,
        '--start-at',
        new Date(Date.now() + 200).toISOString(),
        '--ledger-out',
        ledgerOut,
      ],
      sink.privateNetns ? sink.pid : undefined,
    );
    children.push(p);
    await waitForPhase(p, 'slow');
    await waitForEvents(p, 4);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited(), 0, p.stderr());
    const written = JSON.parse(await readFile(ledgerOut, 'utf8')) as LedgerDocument;
    const printed = p.lines.at(-1)!.ledger as LedgerDocument;
    assert.equal(written.final, true);
    assert.deepEqual(written, printed);
    assert.equal(written.producers.length, 4);
    assert.deepEqual(
      written.producers.map((l) => l.producerId),
      ['p0000', 'p0001', 'p0002', 'p0003'],
    );
  });
});

/** Polls the rig endpoint's ledger until the process generated at least `n` events (bounded). */
async function waitForEvents(p: ProducerProcess, n: number, timeoutMs = 20_000): Promise<void> {
  const ready = await p.waitFor('ready');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ledger = (await (await fetch(`http://127.0.0.1:${ready.rigPort}/ledger`)).json()) as LedgerDocument;
    if (ledger.totals.eventsGenerated >= n) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${n} events within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The kernel UDP counter exporter over real HTTP: from fixture files, and from this machine's /proc with
 * real kernel drops (a child whose event loop is blocked cannot read its socket, so datagrams sent to it
 * overflow its receive buffer) — and the same through the `pushpull udp-counters` CLI.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../process/ports.ts';
import { Supervisor } from '../process/supervisor.ts';
import { startUdpCountersExporter, type UdpCountersReading } from './exporter.ts';

const fixtures = new URL('./testdata/proc', import.meta.url).pathname;
const supervisor = new Supervisor({ signals: 'none' });
const logDir = mkdtempSync(join(tmpdir(), 'pushpull-udp-counters-'));
after(async () => {
  await supervisor.stopAll();
  rmSync(logDir, { recursive: true, force: true });
});

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
}

/** Starts a child that binds a UDP socket with a small buffer, prints its port, then blocks its loop. */
function blockedReceiver(): Promise<{ port: number; kill: () => void }> {
  const script = `
const s = require('node:dgram').createSocket({ type: 'udp4', recvBufferSize: 4096 });
s.bind(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: s.address().port }) + '\\n', () => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15000);
  });
});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ port: JSON.parse(out).port, kill: () => child.kill('SIGKILL') });
    });
  });
}

async function sendDatagrams(port: number, count: number): Promise<void> {
  const socket = createSocket('udp4');
  const payload = Buffer.alloc(1000, 'x');
  try {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve, reject) =>
        socket.send(payload, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}

describe('udp counters exporter', () => {
  it('serves /proc/net/snmp and the watched socket as Prometheus text and JSON', async () => {
    const exporter = await startUdpCountersExporter({ port: 0, procDir: fixtures, watchPorts: [9125] });
    try {
      const metrics = await get(`http://${exporter.address}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^pushpull_kernel_udp_rcvbuf_errors_total 1000$/m);
      assert.match(metrics.text, /^pushpull_kernel_udp_in_datagrams_total 9000$/m);
      assert.match(metrics.text, /^pushpull_kernel_udp_socket_drops_total\{port="9125"\} 1000$/m);
      const counters = JSON.parse(
        (await get(`http://${exporter.address}/counters`)).text,
      ) as UdpCountersReading;
      assert.equal(counters.snmp.RcvbufErrors, 1000);
      assert.deepEqual(counters.sockets, [{ port: 9125, sockets: 1, drops: 1000, rxQueueBytes: 212_992 }]);
      assert.equal((await get(`http://${exporter.address}/nope`)).status, 404);
    } finally {
      await exporter.close();
    }
  });

  it('answers 500 with the reason when /proc/net/snmp cannot be read', async () => {
    const exporter = await startUdpCountersExporter({ port: 0, procDir: '/nonexistent' });
    try {
      const res = await get(`http://${exporter.address}/metrics`);
      assert.equal(res.status, 500);
      assert.match(res.text, /cannot read the kernel UDP counters: .*ENOENT/);
    } finally {
      await exporter.close();
    }
  });

  it('sees real kernel drops of a socket that is not read, through the CLI', async () => {
    const receiver = await blockedReceiver();
    try {
      const port = await freePort();
      await supervisor.start({
        name: 'udp-counters',
        command: process.execPath,
        args: [
          new URL('../bin/pushpull.js', import.meta.url).pathname,
          'udp-counters',
          `--listen=127.0.0.1:${port}`,
          `--watch-port=${receiver.port}`,
        ],
        logFile: join(logDir, 'udp-counters.log'),
        ready: [
          { kind: 'stdout-json', match: (l) => l.event === 'listening' },
          { kind: 'http', url: `http://127.0.0.1:${port}/metrics` },
        ],
        readyTimeoutMs: 30_000,
      });
      const read = async () =>
        JSON.parse((await get(`http://127.0.0.1:${port}/counters`)).text) as UdpCountersReading;
      const before = await read();
      await sendDatagrams(receiver.port, 200);
      // The kernel counts drops as datagrams arrive on loopback; allow it a bounded moment.
      let afterReading = await read();
      for (let i = 0; i < 50 && (afterReading.sockets[0]?.drops ?? 0) === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        afterReading = await read();
      }
      const socketDrops = afterReading.sockets[0]?.drops ?? 0;
      assert.ok(socketDrops > 0, `the blocked socket dropped datagrams (saw ${socketDrops})`);
      const rcvbuf = (afterReading.snmp.RcvbufErrors as number) - (before.snmp.RcvbufErrors as number);
      assert.ok(
        rcvbuf >= socketDrops,
        `RcvbufErrors grew by at least the socket's drops (${rcvbuf} >= ${socketDrops})`,
      );
      assert.equal(afterReading.sockets[0]?.sockets, 1);
      // The 10 Hz sampler saw the full queue within the last second.
      const peakLine = /^pushpull_kernel_udp_socket_rx_queue_max_1s_bytes\{port="\d+"\} (\d+)$/m;
      let metrics = (await get(`http://127.0.0.1:${port}/metrics`)).text;
      for (let i = 0; i < 20 && !peakLine.test(metrics); i++) {
        await new Promise((r) => setTimeout(r, 100));
        metrics = (await get(`http://127.0.0.1:${port}/metrics`)).text;
      }
      const max = peakLine.exec(metrics);
      assert.ok(max && Number(max[1]) > 0, `a sampled peak queue in:\n${metrics}`);
    } finally {
      receiver.kill();
      await supervisor.stopAll();
    }
  });
});

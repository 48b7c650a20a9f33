import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import type { NetworkFault } from '../api/v1alpha1/schema.ts';
import { IP, leftovers, openNetwork, probeFacilities, removeStaleNamespaces } from './edge.ts';

const facilities = await probeFacilities();
const skip = facilities.namespaces.ok
  ? facilities.nft
    ? false
    : 'nft is not installed'
  : facilities.namespaces.reason;

/** Runs node code inside a namespace and returns its stdout; `onOut` sees it as it comes. */
function nodeIn(ns: string, code: string, onOut?: (text: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(IP, ['netns', 'exec', ns, process.execPath, '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      onOut?.(out);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`node exited ${code}`))));
  });
}

test('a 30% loss on the StatsD path drops about 30% of datagrams, the sender sees no error, and the rule counter counts exactly the datagrams that did not arrive', {
  skip,
}, async () => {
  const net = await openNetwork(['statsd']);
  const { topology } = net;
  try {
    const statsd = topology.arms.statsd!;
    const port = 9125;
    let ready: () => void = () => {};
    const bound = new Promise<void>((r) => (ready = r));
    const receiver = nodeIn(
      topology.collectorsNs,
      `const s=require('dgram').createSocket('udp4');let n=0;s.on('message',()=>n++);s.bind(${port},'0.0.0.0',()=>{console.log('ready');setTimeout(()=>{console.log(n);process.exit(0)},3000)});`,
      (out) => out.includes('ready') && ready(),
    );
    await bound;
    const fault: NetworkFault = {
      kind: 'loss',
      arm: 'statsd',
      direction: 'to-collector',
      phase: 'p',
      offsetSeconds: 0,
      durationSeconds: 1,
      lossShare: 0.3,
    };
    await net.applyFault(0, fault, { statsdUdpPort: port });
    const sent = await nodeIn(
      statsd.ns,
      `const s=require('dgram').createSocket('udp4');let ok=0,err=0,i=0;const go=()=>{if(i>=2000){console.log(ok+' '+err);s.close();return}i++;s.send('orders:1|c',${port},'${statsd.collectorAddress}',(e)=>{e?err++:ok++;setImmediate(go)})};go();`,
    );
    const [ok, errors] = sent.trim().split(' ').map(Number) as [number, number];
    await net.healFault(0, fault);
    const received = Number((await receiver).trim().split('\n').pop());
    const dropped = await net.readDropped(0, fault);
    // The receiver's socket may overflow too: the collectors' namespace counts that apart (exactly: it is new).
    const snmp = (
      await nodeIn(
        topology.collectorsNs,
        `process.stdout.write(require('fs').readFileSync('/proc/net/snmp','utf8'))`,
      )
    )
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const udp = Object.fromEntries(
      snmp[0]!
        .split(/\s+/)
        .slice(1)
        .map((k, i) => [k, Number(snmp[1]!.split(/\s+/)[i + 1])]),
    );
    const kernelDrops = udp.RcvbufErrors ?? 0;
    assert.equal(errors, 0, 'the sender saw no error');
    assert.equal(ok, 2000);
    assert.equal(udp.NoPorts, 0, 'every datagram that arrived found the socket');
    assert.equal(
      received + kernelDrops + dropped.packets,
      2000,
      `received ${received} + kernel drops ${kernelDrops} + dropped ${dropped.packets}`,
    );
    assert.ok(dropped.packets > 400 && dropped.packets < 800, `about 30% dropped: ${dropped.packets}`);
    assert.match(dropped.source, /nft counter f0_to/);
  } finally {
    const left = await net.close();
    assert.deepEqual(left, [], 'nothing of the run is left');
  }
  assert.deepEqual(await leftovers(topology.runId), []);
});

test('a run whose rig is gone leaves namespaces the next run removes', { skip }, async () => {
  // A run id with a pid no process has (pid 1 is never ours, 4194303 is above any pid in use here).
  const net = await openNetwork(['pull'], `${(4_194_303).toString(36)}z`);
  const removed = await removeStaleNamespaces();
  assert.ok(removed.includes(net.topology.collectorsNs), removed.join(', '));
  assert.deepEqual(await leftovers(net.topology.runId), []);
  await net.close();
});

test('a rig killed by SIGKILL leaves nothing: its crash guard deletes the namespaces', { skip }, async () => {
  const code = `
    import { openNetwork } from ${JSON.stringify(new URL('./edge.ts', import.meta.url).pathname)};
    const net = await openNetwork(['statsd']);
    console.log(net.topology.runId);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const runId = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (c) => reject(new Error(`the rig exited early (${c})`)));
  });
  assert.notDeepEqual(await leftovers(runId), [], 'the run made its network');
  child.kill('SIGKILL');
  let left = await leftovers(runId);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = await leftovers(runId);
  }
  assert.deepEqual(left, [], 'the crash guard removed every namespace and link of the run');
});

test('bandwidth: a tbf at the sender’s egress drops what exceeds the rate, and its drops are read at the heal', {
  skip: skip || (facilities.tbf ? false : 'no tc tbf'),
}, async () => {
  const net = await openNetwork(['statsd']);
  try {
    const statsd = net.topology.arms.statsd!;
    const fault: NetworkFault = {
      kind: 'bandwidth',
      arm: 'statsd',
      direction: 'to-collector',
      phase: 'p',
      offsetSeconds: 0,
      durationSeconds: 1,
      bitsPerSecond: 64_000,
    };
    await net.applyFault(1, fault);
    // 1000 datagrams of 1000 bytes in a burst: far above 64 kbit/s, so the queue (100 ms of it) overflows.
    const out = await nodeIn(
      statsd.ns,
      `const s=require('dgram').createSocket('udp4');let ok=0,err=0,i=0;const b=Buffer.alloc(1000);const go=()=>{if(i>=1000){console.log(ok+' '+err);s.close();return}i++;s.send(b,9125,'${statsd.collectorAddress}',(e)=>{e?err++:ok++;setImmediate(go)})};go();`,
    );
    await net.healFault(1, fault);
    const dropped = await net.readDropped(1, fault);
    assert.ok(dropped.packets > 0, `tbf dropped ${dropped.packets} (sender: ${out.trim()})`);
    assert.match(dropped.source, /tc tbf drops on pp.*sc/);
  } finally {
    assert.deepEqual(await net.close(), []);
  }
});

test('delay is refused before anything starts where the kernel has no sch_netem, naming the field', {
  skip: skip || (facilities.netem ? 'this kernel has sch_netem' : false),
}, async () => {
  const { decideNetwork } = await import('../local/network-run.ts');
  const spec = {
    networkFaults: [
      {
        kind: 'delay',
        arm: 'otlp',
        direction: 'both',
        phase: 'open',
        offsetSeconds: 0,
        durationSeconds: 5,
        delayMilliseconds: 50,
      },
    ],
  } as never;
  await assert.rejects(
    decideNetwork(spec, 'auto'),
    /spec\.networkFaults\[0\]\.kind: "delay" needs sch_netem .*allowed on this machine: loss, partition, bandwidth; nothing was started/,
  );
});

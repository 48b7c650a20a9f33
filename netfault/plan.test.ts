import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkFault } from '../api/v1alpha1/schema.ts';
import {
  faultLegs,
  inNamespace,
  netRunId,
  parseNftCounter,
  parseTcDropped,
  pidOfRunId,
  planTopology,
  refusals,
  renderFaultHeal,
  renderFaultStart,
  runIdsOf,
  setupCommands,
  subnetCandidates,
  teardownCommands,
} from './plan.ts';

const fault = (f: Partial<NetworkFault>): NetworkFault => ({
  kind: 'loss',
  arm: 'statsd',
  direction: 'to-collector',
  phase: 'open',
  offsetSeconds: 0,
  durationSeconds: 10,
  lossShare: 0.3,
  ...f,
});

describe('the run network plan', () => {
  it('a run id carries the pid, so a crashed run is found by its namespaces', () => {
    const id = netRunId(123_456, 7);
    assert.equal(id.length, 6);
    assert.equal(pidOfRunId(id), 123_456);
    assert.equal(pidOfRunId('not-an-id'), null);
    const ids = runIdsOf([`pushpull-${id}-collectors`, `pushpull-${id}-statsd`, 'other', 'pushpull-x-y']);
    assert.deepEqual([...ids.keys()], [id]);
    assert.equal(ids.get(id)?.length, 2);
  });

  it('subnets are private /24s in 10.230–10.239, never the real node’s 10.213.47.0/24', () => {
    const c = subnetCandidates('abcdef');
    assert.equal(c.length, 16);
    for (const s of c) {
      const [a, b, x] = s.split('.').map(Number) as [number, number, number];
      assert.equal(a, 10);
      assert.ok(b >= 230 && b <= 239 && x >= 0 && x <= 255, s);
    }
    assert.deepEqual(subnetCandidates('abcdef'), c, 'the same id gives the same candidates');
  });

  it('lays out the collectors’ namespace, one per arm, rig links and paths in distinct /30s, names within 15', () => {
    const t = planTopology('00abcd', '10.231.7', ['pull', 'statsd', 'otlp']);
    assert.equal(t.collectorsNs, 'pushpull-00abcd-collectors');
    assert.equal(t.collectorsAddress, '10.231.7.2');
    assert.deepEqual(t.arms.statsd, {
      arm: 'statsd',
      ns: 'pushpull-00abcd-statsd',
      rigAddress: '10.231.7.14',
      pathAddress: '10.231.7.17',
      collectorAddress: '10.231.7.18',
      armDevice: 'pp00abcdsc',
      collectorDevice: 'pp00abcdcs',
    });
    const addresses = t.links.flatMap((l) => [l.addressA, l.addressB]);
    assert.equal(new Set(addresses).size, addresses.length);
    for (const l of t.links) assert.ok(l.a.length <= 15 && l.b.length <= 15 && l.a.includes('00abcd'));
    const cmds = setupCommands(t).map((c) => c.join(' '));
    assert.ok(cmds.includes('netns add pushpull-00abcd-statsd'));
    assert.ok(cmds.includes('link add pp00abcdsc type veth peer name pp00abcdcs'));
    assert.ok(cmds.includes('-n pushpull-00abcd-statsd addr add 10.231.7.17/30 dev pp00abcdsc'));
    assert.deepEqual(
      teardownCommands(t).map((c) => c.join(' ')),
      [
        'link del pp00abcdrc',
        'link del pp00abcdrp',
        'link del pp00abcdrs',
        'link del pp00abcdro',
        'netns del pushpull-00abcd-collectors',
        'netns del pushpull-00abcd-pull',
        'netns del pushpull-00abcd-statsd',
        'netns del pushpull-00abcd-otlp',
      ],
    );
  });

  it('runs a command in a namespace through ip netns exec', () => {
    assert.deepEqual(inNamespace({ command: '/bin/x', args: ['-a'], name: 'x' }, 'ns1', '/usr/sbin/ip'), {
      command: '/usr/sbin/ip',
      args: ['netns', 'exec', 'ns1', '/bin/x', '-a'],
      name: 'x',
    });
  });

  it('drops StatsD loss at the collectors’ ingress, port-scoped, into a named counter', () => {
    const t = planTopology('00abcd', '10.231.7', ['statsd']);
    const [step] = renderFaultStart(t, 2, fault({}), { statsdUdpPort: 9125 });
    assert.deepEqual(step, {
      tool: 'nft',
      ns: 'pushpull-00abcd-collectors',
      script:
        'add counter netdev pushpull_00abcd f2_to\n' +
        'add chain netdev pushpull_00abcd f2_to { type filter hook ingress device "pp00abcdcs" priority 0; }\n' +
        'add rule netdev pushpull_00abcd f2_to meta protocol ip udp dport 9125 numgen random mod 10000 < 3000 counter name f2_to drop\n',
    });
    assert.deepEqual(renderFaultHeal(t, 2, fault({})), [
      {
        tool: 'nft',
        ns: 'pushpull-00abcd-collectors',
        script: 'flush chain netdev pushpull_00abcd f2_to\ndelete chain netdev pushpull_00abcd f2_to\n',
      },
    ]);
  });

  it('a partition both ways drops every IPv4 packet at both receivers', () => {
    const t = planTopology('00abcd', '10.231.7', ['otlp']);
    const legs = faultLegs(t, 0, fault({ kind: 'partition', arm: 'otlp', direction: 'both' }));
    assert.deepEqual(
      legs.map((l) => [l.direction, l.ns, l.device]),
      [
        ['to-collector', 'pushpull-00abcd-collectors', 'pp00abcdco'],
        ['from-collector', 'pushpull-00abcd-otlp', 'pp00abcdoc'],
      ],
    );
    const steps = renderFaultStart(t, 0, fault({ kind: 'partition', arm: 'otlp', direction: 'both' }));
    for (const s of steps)
      assert.match(s.tool === 'nft' ? s.script : '', /meta protocol ip counter name f0_(to|from) drop/);
  });

  it('bandwidth shapes at the sender’s egress with tbf, opened up at the heal so nothing it holds is lost uncounted', () => {
    const t = planTopology('00abcd', '10.231.7', ['pull']);
    const f = fault({ kind: 'bandwidth', arm: 'pull', direction: 'to-collector', bitsPerSecond: 1_000_000 });
    assert.deepEqual(renderFaultStart(t, 1, f), [
      {
        tool: 'tc',
        ns: 'pushpull-00abcd-pull',
        args: [
          'qdisc',
          'replace',
          'dev',
          'pp00abcdpc',
          'root',
          'tbf',
          'rate',
          '1000000bit',
          'burst',
          '3200',
          'latency',
          '100ms',
        ],
      },
    ]);
    assert.deepEqual(renderFaultHeal(t, 1, f), [
      {
        tool: 'tc',
        ns: 'pushpull-00abcd-pull',
        args: [
          'qdisc',
          'change',
          'dev',
          'pp00abcdpc',
          'root',
          'tbf',
          'rate',
          '10gbit',
          'burst',
          '1048576',
          'latency',
          '100ms',
        ],
      },
    ]);
  });

  it('reads nft named counters and tc drops from their JSON', () => {
    const nft =
      '{"nftables": [{"metainfo": {}}, {"counter": {"family": "netdev", "name": "f0_to", "table": "t", "packets": 296, "bytes": 1}}]}';
    assert.equal(parseNftCounter(nft, 'f0_to'), 296);
    assert.equal(parseNftCounter(nft, 'f1_to'), null);
    assert.equal(parseTcDropped('[{"kind":"tbf","handle":"8001:","root":true,"drops":12}]'), 12);
    assert.equal(parseTcDropped('[{"kind":"noqueue","root":true}]'), null);
  });

  it('refuses delay without sch_netem, naming the field, the reason and what is allowed', () => {
    const can = { namespaces: { ok: true as const }, nft: true, tbf: true, netem: false };
    assert.deepEqual(refusals([fault({}), fault({ kind: 'delay', delayMilliseconds: 50 })], can), [
      'spec.networkFaults[1].kind: "delay" needs sch_netem (tc qdisc netem), which this kernel does not have; allowed on this machine: loss, partition, bandwidth',
    ]);
    assert.deepEqual(
      refusals([fault({ kind: 'delay', delayMilliseconds: 50 })], { ...can, netem: true }),
      [],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSnmp, parseUdpCounters, udpDelta } from './udp-snmp.ts';

const SAMPLE = `Ip: Forwarding DefaultTTL InReceives
Ip: 1 64 1000
Icmp: InMsgs InErrors
Icmp: 3 0
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 5000 2 40 5100 40 0 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;

describe('/proc/net/snmp', () => {
  it('parses every section by column name', () => {
    const s = parseSnmp(SAMPLE);
    assert.equal(s.Ip?.InReceives, 1000);
    assert.equal(s.Icmp?.InMsgs, 3);
    assert.equal(s.UdpLite?.RcvbufErrors, 0);
  });

  it('reads the Udp counters, including RcvbufErrors', () => {
    const udp = parseUdpCounters(SAMPLE);
    assert.equal(udp.InDatagrams, 5000);
    assert.equal(udp.RcvbufErrors, 40);
    assert.equal(udp.InErrors, 40);
  });

  it('computes deltas of counters present before and after', () => {
    const before = parseUdpCounters(SAMPLE);
    const after = { ...before, InDatagrams: 5300, RcvbufErrors: 47, NewColumn: 1 };
    const d = udpDelta(before, after);
    assert.equal(d.InDatagrams, 300);
    assert.equal(d.RcvbufErrors, 7);
    assert.equal(d.NewColumn, undefined);
  });

  it('names the malformed part', () => {
    assert.throws(() => parseUdpCounters('Ip: A\nIp: 1\n'), /no "Udp:" section/);
    assert.throws(() => parseSnmp('Udp: A B\nUdp: 1\n'), /lines 1-2 are not a "Udp:" header and value pair/);
    assert.throws(() => parseSnmp('Udp: A B\nUdp: 1 x\n'), /Udp\.B is "x", not a number/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datagramTruesize, udpQueue } from './udp-queue.ts';

const base = {
  receiveBufferBytes: 4096,
  rmemMaxBytes: 4_194_304,
  overheadBytes: 412,
  drainPerSecond: 50_000,
  senderDatagramsPerSecond: 100_000,
  senderSecondsPerByte: 0,
};
const series = (ms: number, at: Record<number, number>) => {
  const d = new Float64Array(ms);
  for (const [k, v] of Object.entries(at)) d[Number(k)] = v;
  return d;
};

describe('UDP socket as a queue', () => {
  it('charges a datagram its power-of-two slab plus the sk_buff', () => {
    assert.equal(datagramTruesize(68, 384), 768);
    assert.equal(datagramTruesize(1389, 384), 2304);
    assert.equal(datagramTruesize(100, 412), 768);
  });
  it('holds 2 × min(SO_RCVBUF, rmem_max) / truesize datagrams', () => {
    const datagrams = series(10, { 0: 1 });
    const r = udpQueue({ ...base, datagrams, bytes: series(10, { 0: 100 }), senders: series(10, { 0: 1 }) });
    assert.equal(r.effectiveBufferBytes, 8192);
    assert.equal(r.capacityDatagrams, 8192 / 768);
  });
  it('drops what a burst brings beyond the bound and what the drain took while it landed', () => {
    // 100 datagrams land in 1 ms (100,000/s); 50 are drained meanwhile; 8192 / 768 fit: the rest dropped.
    const r = udpQueue({
      ...base,
      datagrams: series(5, { 0: 100 }),
      bytes: series(5, { 0: 10_000 }),
      senders: series(5, { 0: 1 }),
    });
    assert.ok(Math.abs(r.drops[0]! - (50 - 8192 / 768)) < 1e-9, `drops ${r.drops[0]}`);
    const received = r.received.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(received + r.drops[0]! - 100) < 1e-9, 'every datagram is received or dropped');
  });
  it('lets the drain take more of a burst of big datagrams, which leave the sender more slowly', () => {
    const burst = {
      datagrams: series(5, { 0: 100 }),
      bytes: series(5, { 0: 100_000 }),
      senders: series(5, { 0: 1 }),
    };
    const quick = udpQueue({ ...base, receiveBufferBytes: 16_384, ...burst });
    const slow = udpQueue({ ...base, receiveBufferBytes: 65_536, senderSecondsPerByte: 5e-9, ...burst });
    assert.ok(slow.drops[0]! < quick.drops[0]!, `${slow.drops[0]} vs ${quick.drops[0]}`);
  });
  it('sends a burst longer than a millisecond over the following ones', () => {
    const r = udpQueue({
      ...base,
      receiveBufferBytes: 8_000_000,
      datagrams: series(5, { 0: 250 }),
      bytes: series(5, { 0: 25_000 }),
      senders: series(5, { 0: 1 }),
    });
    // 100 datagrams per ms leave the sender: 100, 100, 50; nothing is dropped with room for them all.
    assert.equal(
      r.drops.reduce((a, b) => a + b, 0),
      0,
    );
    assert.ok(Math.abs(r.received.reduce((a, b) => a + b, 0) - 250) < 1e-9);
  });
  it("drops nothing when the drain keeps up and the buffer holds each millisecond's burst", () => {
    const datagrams = new Float64Array(1000).fill(20);
    const r = udpQueue({
      ...base,
      receiveBufferBytes: 212_992,
      datagrams,
      bytes: new Float64Array(1000).fill(2000),
      senders: new Float64Array(1000).fill(1),
    });
    assert.equal(
      r.drops.reduce((a, b) => a + b, 0),
      0,
    );
  });
  it('caps the buffer at rmem_max', () => {
    const r = udpQueue({
      ...base,
      receiveBufferBytes: 8_000_000,
      datagrams: series(1, { 0: 1 }),
      bytes: series(1, { 0: 100 }),
      senders: series(1, { 0: 1 }),
    });
    assert.equal(r.effectiveBufferBytes, 2 * 4_194_304);
  });
});

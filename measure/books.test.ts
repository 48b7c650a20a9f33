import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Figure } from '../report/types.ts';
import { closeBooks, lossRatio } from './books.ts';

const fig = (value: number | null, source: string): Figure =>
  value === null
    ? { value, unit: 'datagrams', source, missing: 'collector down' }
    : { value, unit: 'datagrams', source };

test('books close when every datagram is received or dropped somewhere known', () => {
  const books = closeBooks({
    sent: fig(1000, 'ledger.datagramsSent'),
    received: fig(900, 'statsd_exporter_udp_packets_total'),
    kernelDrops: fig(95, 'Udp RcvbufErrors'),
    collectorQueueDrops: fig(5, 'statsd_exporter_udp_packet_drops_total'),
  });
  assert.equal(books.unaccounted.value, 0);
  assert.equal(books.closed, true);
  assert.equal(lossRatio(books).value, 0.1);
});

test('a remainder is reported as unaccounted and the books stay open', () => {
  const books = closeBooks({
    sent: fig(1000, 'a'),
    received: fig(990, 'b'),
    kernelDrops: fig(0, 'c'),
    collectorQueueDrops: fig(0, 'd'),
  });
  assert.equal(books.unaccounted.value, 10);
  assert.equal(books.closed, false);
});

test('a missing term leaves unaccounted null with the reason, never zero', () => {
  const books = closeBooks({
    sent: fig(1000, 'ledger'),
    received: fig(null, 'statsd_exporter_udp_packets_total'),
    kernelDrops: fig(0, 'c'),
    collectorQueueDrops: fig(0, 'd'),
  });
  assert.equal(books.unaccounted.value, null);
  assert.match(books.unaccounted.missing ?? '', /statsd_exporter_udp_packets_total/);
  assert.equal(lossRatio(books).value, 0);
});

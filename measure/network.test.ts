import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec, NetworkFault } from '../api/v1alpha1/schema.ts';
import type { Report } from '../report/types.ts';
import { closeBooks } from './books.ts';
import type { CollectorCounters } from './collect.ts';
import {
  assembleNetwork,
  type ProducerSnapshot,
  type RawNetworkFault,
  statsdNetworkDrops,
} from './network.ts';

const T0 = Date.parse('2026-12-01T09:15:00Z');
const fig = (value: number, unit: 'datagrams' | 'points' | 'events' | 'count' = 'datagrams') => ({
  value,
  unit,
  source: 'test',
});
const producers = (p: Partial<ProducerSnapshot> = {}): ProducerSnapshot => ({
  sendErrors: 0,
  exportsFailed: 0,
  exportsOk: 0,
  pointsExported: 0,
  datagramsSent: 0,
  scrapesServed: 0,
  retries: 0,
  ...p,
});
const counters = (received: number, accepted = 0): CollectorCounters => ({
  kernel: { value: { inDatagrams: 0, inErrors: 0, rcvbufErrors: 0, socketDrops: 0 }, source: 'k' },
  statsd: { received: { value: received, source: 'received' }, queueDrops: { value: 0, source: 'q' } },
  otlp: {
    accepted: { value: accepted, source: 'accepted' },
    refused: { value: 0, source: 'refused' },
    failed: { value: 0, source: 'failed' },
  },
});
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
const raw = (r: Partial<RawNetworkFault>): RawNetworkFault => ({
  index: 0,
  fault: fault({}),
  startedMs: T0,
  healedMs: T0 + 10_000,
  dropped: { value: 53, source: 'nft counter f0_to' },
  droppedToCollector: { value: 53, source: 'nft counter f0_to' },
  producersAtStart: producers(),
  producersAtHeal: producers(),
  collectorAtStart: counters(100),
  collectorAtHeal: counters(247),
  collectorAtCutOff: counters(329),
  ...r,
});
const report = (arms: Report['arms']) =>
  ({
    arms,
    experiment: { spec: { arms: { pull: { scrapeIntervalSeconds: 1 } } } as unknown as ExperimentSpec },
  }) as Pick<Report, 'arms' | 'experiment'>;

describe('network faults in the report', () => {
  it('StatsD loss: network drops close the books, and StatsD did not know', () => {
    const network = { layout: 'namespaces' as const, reason: 'r', faults: [raw({})] };
    const drops = statsdNetworkDrops(network)!;
    assert.equal(drops.value, 53);
    const books = closeBooks({
      sent: fig(360),
      received: fig(307),
      kernelDrops: fig(0),
      collectorQueueDrops: fig(0),
      networkDrops: drops,
    });
    assert.equal(books.unaccounted.value, 0);
    assert.equal(books.closed, true);
    const n = assembleNetwork(network, report({}), {});
    const f = n.faults[0]!;
    assert.equal(f.knew, 'neither');
    assert.equal(f.collector.arrived.value, 147);
    assert.equal(f.collector.arrivedAfterHeal.value, 82);
    assert.match(f.sentence, /StatsD did not know/);
    assert.match(f.sentence, /53 datagrams were lost on the wire/);
    assert.equal(n.sentence, f.sentence);
  });

  it('no network drops in the books without statsd faults, or on loopback', () => {
    assert.equal(statsdNetworkDrops(undefined), undefined);
    assert.equal(
      statsdNetworkDrops({ layout: 'loopback', reason: 'not root', faults: [raw({})] }),
      undefined,
    );
  });

  it('OTLP partition: the producers knew from their failed exports; nothing arrived; duplicates measured', () => {
    const f = raw({
      fault: fault({ kind: 'partition', arm: 'otlp', direction: 'both' }),
      producersAtStart: producers({ exportsFailed: 0, retries: 0 }),
      producersAtHeal: producers({ exportsFailed: 6, retries: 0 }),
      collectorAtStart: counters(0, 900),
      collectorAtHeal: counters(0, 900),
      collectorAtCutOff: counters(0, 1406),
    });
    const arms = {
      otlp: { pointsAccepted: fig(1406, 'points'), pointsExported: fig(1400, 'points') },
    } as unknown as Report['arms'];
    const series: [number, never][] = [[(T0 + 5000) / 1000, { sendErrors: 0, exportsFailed: 2 } as never]];
    const out = assembleNetwork({ layout: 'namespaces', reason: 'r', faults: [f] }, report(arms), {
      otlp: series,
    });
    const r = out.faults[0]!;
    assert.equal(r.producers.exportsFailed.value, 6);
    assert.equal(r.producers.firstSignalAt, new Date(T0 + 5000).toISOString());
    assert.equal(r.collector.arrived.value, 0);
    assert.equal(r.collector.arrivedAfterHeal.value, 506);
    assert.equal(r.duplicates?.value, 6);
    assert.equal(r.knew, 'both');
    assert.match(r.sentence, /the producers knew 5\.0 s after it began \(6 failed exports, 0 retries\)/);
    assert.match(r.sentence, /received nothing at all/);
  });

  it('pull partition: up == 0 in the window, and whether the counters held every event', () => {
    const up = {
      value: [
        {
          labels: { producer: 'p0' },
          samples: [
            [T0 / 1000 - 1, 1],
            [T0 / 1000 + 1, 0],
            [T0 / 1000 + 2, 0],
            [T0 / 1000 + 12, 1],
          ] as Array<[number, number]>,
        },
      ],
      source: 'up',
    };
    const f = raw({ fault: fault({ kind: 'partition', arm: 'pull', direction: 'both' }), up });
    const arms = {
      pull: { eventsSeen: fig(1200, 'events'), eventsGenerated: fig(1200, 'events') },
    } as unknown as Report['arms'];
    const r = assembleNetwork({ layout: 'namespaces', reason: 'r', faults: [f] }, report(arms), {})
      .faults[0]!;
    assert.equal(r.collector.upZeroScrapes.value, 2);
    assert.equal(r.collector.firstSignalAt, new Date(T0 + 1000).toISOString());
    assert.equal(r.heldEveryEvent, true);
    assert.equal(r.scrapeGapSeconds?.value, 13, 'from the last up == 1 before to the first after');
    assert.equal(r.knew, 'collector');
    assert.match(
      r.sentence,
      /nothing was lost, only seen late \(the longest scrape gap was 13 s\): the counters at the cut-off hold all 1200 generated events/,
    );
  });

  it('a fault that never ran says why, and loopback says no fault ran', () => {
    const f = raw({ startedMs: null, healedMs: null, missing: 'the run ended before it was due' });
    const out = assembleNetwork(
      { layout: 'loopback', reason: 'network namespaces need root', faults: [f] },
      report({}),
      {},
    );
    assert.match(out.faults[0]!.sentence, /was not applied: the run ended before it was due/);
    assert.equal(out.sentence, 'No network fault ran: network namespaces need root.');
  });
});

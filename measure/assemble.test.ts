import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import { newLatencyHistogram, observeLatency } from '../loadgen/latency-histogram.ts';
import { type LedgerTotals, newProducerLedger, totalLedgers } from '../loadgen/ledger.ts';
import { assembleReport } from './assemble.ts';
import type { MeasurementInput, RawOtlp, RawPull, RawStatsd } from './inputs.ts';
import { SENT_SLOTS_SOURCE } from './ledger-books.ts';

const T0 = 1_800_000_000; // load start, unix seconds

function spec(arms: object): ExperimentSpec {
  const r = validateSpec({
    fleet: { producers: 2, producersPerProcess: 2 },
    load: {
      warmupSeconds: 1,
      phases: [
        { name: 'pre-open', durationSeconds: 10, eventsPerSecond: 100, symbols: 1 },
        { name: 'open', durationSeconds: 10, eventsPerSecond: 1000, rampSeconds: 1, symbols: 5 },
      ],
    },
    arms,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
}

function totals(patch: Partial<LedgerTotals>): LedgerTotals {
  return { ...totalLedgers([newProducerLedger('p0000'), newProducerLedger('p0001')]), ...patch };
}

const ok = <T>(value: T, source: string) => ({ value, source });

function baseInput(s: ExperimentSpec): MeasurementInput {
  const iso = (t: number) => new Date(t * 1000).toISOString();
  return {
    name: 'unit',
    runtime: 'local',
    spec: s,
    run: {
      startedAt: iso(T0 - 5),
      loadStartAt: iso(T0),
      loadEndAt: iso(T0 + 20),
      cutoffAt: iso(T0 + 25),
      finishedAt: iso(T0 + 26),
      outcome: 'completed',
      missing: [],
    },
    machine: { hostname: 'h', cpus: 2, cpuModel: 'cpu', memoryBytes: 1, kernel: 'k', node: 'v24' },
    tools: { prometheus: '3.16.0' },
    phases: [
      { name: 'pre-open', startAt: iso(T0), endAt: iso(T0 + 10), eventsPerSecond: 100 },
      { name: 'open', startAt: iso(T0 + 10), endAt: iso(T0 + 20), eventsPerSecond: 1000 },
    ],
    ledgerFinal: {},
    ledgerSeries: {},
    ledgerBooks: {},
    producersDied: [],
  };
}

function statsdRaw(kernelDropsAfter: number, receivedAfter: number): RawStatsd {
  return {
    mode: 'perEvent',
    receivedBefore: ok(0, 'statsd_exporter_udp_packets_total'),
    receivedAfter: ok(receivedAfter, 'statsd_exporter_udp_packets_total'),
    queueDropsBefore: ok(0, 'statsd_exporter_udp_packet_drops_total'),
    queueDropsAfter: ok(0, 'statsd_exporter_udp_packet_drops_total'),
    kernelBefore: ok({ inDatagrams: 10, inErrors: 3, rcvbufErrors: 3, socketDrops: 3 }, '/proc/net/snmp'),
    kernelAfter: ok(
      {
        inDatagrams: 10 + receivedAfter,
        inErrors: 3 + kernelDropsAfter + 7,
        rcvbufErrors: 3 + kernelDropsAfter + 7,
        socketDrops: 3 + kernelDropsAfter,
      },
      '/proc/net/snmp',
    ),
    receivedSeries: ok(
      [
        [T0, 0],
        [T0 + 12, receivedAfter],
      ],
      'rig: statsd_exporter_udp_packets_total',
    ),
    queueDropsSeries: ok(
      [
        [T0, 0],
        [T0 + 12, 0],
      ],
      'rig: statsd_exporter_udp_packet_drops_total',
    ),
    kernelDropsSeries: ok(
      [
        [T0, 3],
        [T0 + 11, 3 + kernelDropsAfter],
      ],
      'rig: pushpull_kernel_udp_in_errors_total',
    ),
  };
}

/** Fleet send slots at T0 + offset seconds (offsets in tenths: [101, 5] is 5 datagrams at T0 + 10.1 s). */
function slots(pairs: Array<[number, number]>): Array<[number, number]> {
  return pairs.map(([tenths, count]) => [T0 * 10 + tenths, count]);
}

function otlpRaw(): RawOtlp {
  return {
    protocol: 'grpc',
    acceptedBefore: ok(0, 'accepted'),
    acceptedAfter: ok(100, 'accepted'),
    refusedBefore: ok(0, 'refused'),
    refusedAfter: ok(0, 'refused'),
    failedBefore: ok(0, 'failed'),
    failedAfter: ok(0, 'failed'),
    acceptedSeries: ok([], 'accepted'),
    refusedSeries: ok([], 'refused'),
  };
}

function pullRaw(durations: number[], ups: number[]): RawPull {
  const series = (values: number[]) => [
    { labels: { producer: 'p0000' }, samples: values.map((v, i) => [T0 + i * 5, v] as [number, number]) },
  ];
  return {
    targets: 1,
    scrapeDuration: ok(series(durations), 'scrape_duration_seconds{arm="pull"}'),
    up: ok(series(ups), 'up{arm="pull"}'),
    samplesScraped: ok(series(durations.map(() => 100)), 'scrape_samples_scraped'),
    bodySize: ok(series([18_000, 18_000, 240_000, 240_000]), 'scrape_body_size_bytes'),
    sampleLimitExceeded: ok(
      [
        [T0, 0],
        [T0 + 15, 0],
      ],
      'prometheus_target_scrapes_exceeded_sample_limit_total',
    ),
    bodySizeLimitExceeded: ok(
      [
        [T0, 0],
        [T0 + 15, 0],
      ],
      'prometheus_target_scrapes_exceeded_body_size_limit_total',
    ),
    ordersSeen: ok(1000, 'sum(orders_total)'),
  };
}

test('statsd books close with kernel drops, and the drop is on the timeline as invisible to the operator', () => {
  const s = spec({ statsd: { mode: 'perEvent' } });
  const input = baseInput(s);
  input.ledgerFinal.statsd = totals({ datagramsSent: 1000, eventsGenerated: 500 });
  input.statsd = statsdRaw(40, 960);
  input.ledgerBooks.statsdSentPer100ms = ok(
    slots([
      [100, 950],
      [101, 50],
    ]),
    SENT_SLOTS_SOURCE,
  );
  const report = assembleReport(input);
  const books = report.arms.statsd!.books;
  assert.equal(books.sent.value, 1000);
  assert.equal(books.received.value, 960);
  assert.equal(books.kernelDrops.value, 40);
  assert.equal(books.unaccounted.value, 0);
  assert.equal(books.closed, true);
  assert.equal(report.arms.statsd!.lossRatio.value, 0.04);
  assert.equal(report.arms.statsd!.peakDatagramsPer100ms.value, 950);
  const drop = report.signals.find((x) => x.kind === 'kernel-udp-drop');
  assert.equal(drop?.offsetSeconds, 11);
  assert.equal(drop?.phase, 'open');
  assert.equal(drop?.visibleToOperator, false);
});

test('a missing final ledger leaves the books open and says why', () => {
  const s = spec({ statsd: { mode: 'perEvent' } });
  const input = baseInput(s);
  input.statsd = statsdRaw(0, 10);
  const report = assembleReport(input);
  assert.equal(report.arms.statsd!.books.sent.value, null);
  assert.equal(report.arms.statsd!.books.unaccounted.value, null);
  assert.equal(report.arms.statsd!.books.closed, false);
});

test('pull timeouts become signals and figures; body size before and during the burst', () => {
  const s = spec({ pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 4 } });
  const input = baseInput(s);
  input.ledgerFinal.pull = totals({ eventsGenerated: 1000 });
  input.pull = pullRaw([0.1, 0.5, 2.5, 4], [1, 1, 1, 0]);
  const report = assembleReport(input);
  const pull = report.arms.pull!;
  assert.equal(pull.scrapeDurationSeconds.max.value, 4);
  assert.equal(pull.scrapesOverHalfTimeout.value, 2);
  assert.equal(pull.scrapesOverTimeout.value, 1);
  assert.equal(pull.upZeroSamples.value, 1);
  assert.equal(pull.bodySizeBytes.before.value, 18_000);
  assert.equal(pull.bodySizeBytes.during.value, 240_000);
  const kinds = report.signals.filter((x) => x.arm === 'pull').map((x) => x.kind);
  assert.deepEqual(kinds, ['scrape-over-half-timeout', 'scrape-timeout', 'target-down']);
  assert.ok(report.charts.some((c) => c.id === 'scrape-duration-p99' && c.points.length > 0));
});

test('the subject Prometheus being unreachable gives null pull figures with the reason', () => {
  const s = spec({ pull: {} });
  const input = baseInput(s);
  const gone = {
    value: null,
    source: 'scrape_duration_seconds',
    missing: 'subject Prometheus did not answer',
  };
  input.pull = {
    ...pullRaw([0.1], [1]),
    scrapeDuration: gone,
    up: { ...gone, source: 'up' },
  };
  const report = assembleReport(input);
  assert.equal(report.arms.pull!.scrapeDurationSeconds.p99.value, null);
  assert.match(report.arms.pull!.scrapeDurationSeconds.p99.missing ?? '', /did not answer/);
  assert.equal(report.arms.pull!.upZeroSamples.value, null);
});

test('no stress on either arm: the same', () => {
  const s = spec({ pull: {}, statsd: { mode: 'perEvent' } });
  const input = baseInput(s);
  input.ledgerFinal.pull = totals({ eventsGenerated: 1000 });
  input.ledgerFinal.statsd = totals({ datagramsSent: 1000 });
  input.pull = pullRaw([0.01, 0.01, 0.02, 0.02], [1, 1, 1, 1]);
  input.statsd = statsdRaw(0, 1000);
  const report = assembleReport(input);
  assert.equal(report.signals.length, 0);
  assert.equal(report.verdict.answer, 'the-same');
});

test('rig-limited producers and a dead producer are signals of their own arm, so they taint only that arm', () => {
  const s = spec({ pull: {}, statsd: { mode: 'perEvent' } });
  const input = baseInput(s);
  input.ledgerFinal.pull = totals({ eventsGenerated: 1000 });
  input.ledgerFinal.statsd = totals({ datagramsSent: 1000, rigLimitedProducers: 1 });
  input.ledgerSeries.statsd = [
    [T0 + 1, totals({ datagramsSent: 10 })],
    [T0 + 5, totals({ datagramsSent: 200, rigLimitedProducers: 1 })],
  ];
  input.producersDied = [
    { arm: 'pull', process: 1, at: new Date((T0 + 15) * 1000).toISOString(), detail: 'SIGKILL' },
  ];
  input.pull = pullRaw([0.01, 0.01, 0.02, 0.02], [1, 1, 1, 1]);
  input.statsd = statsdRaw(40, 960);
  const report = assembleReport(input);
  const rig = report.signals.filter((x) => x.kind === 'rig-limited' || x.kind === 'producer-died');
  assert.deepEqual(
    rig.map((x) => [x.arm, x.kind, x.offsetSeconds]),
    [
      ['statsd', 'rig-limited', 5],
      ['pull', 'producer-died', 15],
    ],
  );
  // StatsD dropped at 11 s with its own producers limited from 5 s (less load still dropped) and
  // pull's producer dying only at 15 s: nothing undermines the answer. Were the rig-limited signal
  // the whole rig's, it would touch pull before 11 s and make this inconclusive.
  assert.equal(report.verdict.perPushArm.statsd, 'push-harder');
});

test('the statsd peak is the busiest fleet-wide 100 ms slot of the load, charted with empty slots as zeros', () => {
  const s = spec({ statsd: { mode: 'aggregated', flushJitter: false } });
  const input = baseInput(s);
  input.ledgerFinal.statsd = totals({ datagramsSent: 1000 });
  input.statsd = statsdRaw(0, 1000);
  // A lockstep flush every second: 300 datagrams in one slot, nothing between; one slot before the load.
  input.ledgerBooks.statsdSentPer100ms = ok(
    slots([
      [-5, 100],
      [100, 300],
      [110, 290],
      [120, 310],
    ]),
    SENT_SLOTS_SOURCE,
  );
  const statsd = assembleReport(input).arms.statsd!;
  assert.equal(statsd.peakDatagramsPer100ms.value, 310);
  assert.equal(statsd.peakDatagramsPer100ms.unit, 'per100ms');
  assert.equal(
    statsd.peakDatagramsPer100ms.source,
    'producer ledgers: datagrams sent per wall-clock 100 ms slot, summed over the fleet',
  );
  const chart = assembleReport(input).charts.find((c) => c.id === 'statsd-sent-per-100ms');
  assert.equal(chart?.points.length, 21);
  assert.deepEqual(chart?.points.slice(0, 2), [
    [10, 300],
    [10.1, 0],
  ]);
  assert.deepEqual(chart?.points.at(-1), [12, 310]);
});

test('a statsd peak from slots holding fewer datagrams than were sent says so; no slots at all is null', () => {
  const s = spec({ statsd: { mode: 'perEvent' } });
  const input = baseInput(s);
  input.ledgerFinal.statsd = totals({ datagramsSent: 1000 });
  input.statsd = statsdRaw(0, 1000);
  input.ledgerBooks.statsdSentPer100ms = ok(slots([[150, 400]]), SENT_SLOTS_SOURCE);
  const partial = assembleReport(input).arms.statsd!.peakDatagramsPer100ms;
  assert.equal(partial.value, 400);
  assert.match(partial.source, /the slots hold 400 of the 1000 datagrams sent/);

  input.ledgerBooks = {};
  const none = assembleReport(input).arms.statsd!.peakDatagramsPer100ms;
  assert.equal(none.value, null);
  assert.match(none.missing ?? '', /read no send slots/);
});

test('OTLP export latency p50/p99 are the upper bounds of the buckets holding them, with the count', () => {
  const s = spec({ otlp: { protocol: 'grpc' } });
  const input = baseInput(s);
  input.ledgerFinal.otlp = totals({ exportsOk: 100 });
  input.otlp = otlpRaw();
  const h = newLatencyHistogram();
  for (let i = 0; i < 98; i++) observeLatency(h, 0.003); // bucket (2 ms, 4 ms]
  observeLatency(h, 0.9); // (512 ms, 1.024 s]
  observeLatency(h, 1.5); // (1.024 s, 2.048 s]
  input.ledgerBooks.otlpExportLatency = ok(h, 'producer ledgers: exportLatencyBuckets');
  input.ledgerBooks.otlpExportRetries = ok(0, 'producer ledgers: exportRetries');
  const otlp = assembleReport(input).arms.otlp!;
  assert.equal(otlp.exportLatencySeconds.p50.value, 0.004);
  assert.equal(otlp.exportLatencySeconds.p99.value, 1.024);
  assert.match(
    otlp.exportLatencySeconds.p50.source,
    /^upper bound of the log-scale bucket holding the p50, from 100 timed exports/,
  );
  assert.equal(otlp.retries.value, 0);
  assert.match(otlp.retries.source, /gRPC exporter has no retrying transport/);
});

test('OTLP export latency is null with the reason when no export was timed or the timings are missing', () => {
  const s = spec({ otlp: { protocol: 'http' } });
  const input = baseInput(s);
  input.otlp = otlpRaw();
  input.ledgerBooks.otlpExportLatency = ok(newLatencyHistogram(), 'producer ledgers: exportLatencyBuckets');
  input.ledgerBooks.otlpExportRetries = {
    value: null,
    source: 'producer ledgers: exportRetries',
    missing: "producer otlp/0: the exporter's transport was not found",
  };
  const none = assembleReport(input).arms.otlp!;
  assert.equal(none.exportLatencySeconds.p99.value, null);
  assert.match(none.exportLatencySeconds.p99.missing ?? '', /no export was timed/);
  assert.equal(none.retries.value, null);
  assert.match(none.retries.missing ?? '', /transport was not found/);

  input.ledgerBooks = {};
  assert.match(
    assembleReport(input).arms.otlp!.exportLatencySeconds.p50.missing ?? '',
    /read no export timings/,
  );
});

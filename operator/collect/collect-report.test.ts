/**
 * The collect step when nothing answers (the dev cluster's kwok pods run no processes): it still builds a
 * report, and the report lists every reading it could not get instead of inventing one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { newLatencyHistogram, observeLatency } from '../../loadgen/latency-histogram.ts';
import { LEDGER_SCHEMA, type LedgerDocument, newProducerLedger, totalLedgers } from '../../loadgen/ledger.ts';
import { PromUnreachableError as UnreachableError } from '../../measure/prom-api.ts';
import type { Reach } from '../reach.ts';
import { experimentFromFile, TEST_IMAGES } from '../testing/fixtures.ts';
import { scheduleFor } from '../timeline/timeline.ts';
import { collectReport } from './collect-report.ts';

const x = experimentFromFile(join(import.meta.dirname, '../render/testdata/inputs/three-arms-partial.yaml'));
const T0 = Date.parse('2026-11-26T09:00:00Z');

test('a collection where no pod and no Prometheus answers gives an honest report', async () => {
  const reach: Reach = {
    startProducer: async () => {},
    hangProducer: async () => {},
    ledger: async (pod) => {
      throw new Error(`pod ${pod.name} did not answer`);
    },
    prometheus: (_x, which) => ({
      source: `${which} prometheus`,
      query: async () => {
        throw new UnreachableError('connection refused');
      },
    }),
  };
  const schedule = scheduleFor(x.spec, T0);
  const report = await collectReport(
    {
      experiment: x,
      schedule,
      createdAt: new Date(T0 - 60_000).toISOString(),
      nowMs: schedule.drainEndMs + 1000,
      producers: [{ namespace: 'rehearsal', name: 'three-arms-producer-pull-0', arm: 'pull', process: 0 }],
      images: TEST_IMAGES,
      missing: ['producer pod three-arms-producer-pull-0 never received startAt'],
    },
    { reach },
  );
  assert.equal(report.experiment.runtime, 'kubernetes');
  assert.equal(report.run.loadStartAt, new Date(T0).toISOString());
  assert.equal(report.run.cutoffAt, new Date(schedule.drainEndMs).toISOString());
  assert.ok(report.run.missing.some((m) => /never received startAt/.test(m)));
  assert.ok(report.run.missing.some((m) => /ledger of pull process 0 .* did not answer/.test(m)));
  assert.ok(report.run.missing.some((m) => /no statsd producer pod/.test(m)));
  assert.equal(report.arms.pull?.scrapeDurationSeconds.p99.value, null);
  assert.match(report.arms.pull?.scrapeDurationSeconds.p99.missing ?? '', /connection refused/);
  assert.equal(report.arms.statsd?.books.sent.value, null);
  assert.deepEqual(
    report.phases.map((p) => p.name),
    ['pre-open', 'open'],
  );
  assert.equal(report.verdict.answer, 'inconclusive');
});

test("the producers' ledgers give the OTLP export latency, retries and the StatsD send peak, summed over pods", async () => {
  const schedule = scheduleFor(x.spec, T0);
  const slot0 = Math.floor((T0 + 12_000) / 100); // a lockstep flush 12 s into the load
  const timed = newLatencyHistogram();
  for (let i = 0; i < 9; i++) observeLatency(timed, 0.003);
  observeLatency(timed, 0.2);
  const doc = (arm: 'statsd' | 'otlp', index: number, datagramsSent: number): LedgerDocument => {
    const p = { ...newProducerLedger(`p000${index}`), datagramsSent };
    return {
      schema: LEDGER_SCHEMA,
      arm,
      armMode: 'x',
      processIndex: index,
      pid: 1,
      startAt: new Date(T0).toISOString(),
      writtenAt: new Date(schedule.drainEndMs).toISOString(),
      final: false,
      stage: 'done',
      phase: null,
      totals: totalLedgers([p]),
      exportLatencyBuckets: arm === 'otlp' ? timed : null,
      exportRetries: arm === 'otlp' ? 2 : null,
      sentPer100ms:
        arm === 'statsd'
          ? {
              slotMs: 100,
              capacity: 1000,
              slots: [
                [slot0, datagramsSent - 1],
                [slot0 + 10, 1],
              ],
              evicted: 0,
            }
          : null,
      producers: [p],
    };
  };
  const reach: Reach = {
    startProducer: async () => {},
    hangProducer: async () => {},
    ledger: async (pod) => {
      const m = /-(statsd|otlp)-(\d)$/.exec(pod.name)!;
      return doc(m[1] as 'statsd' | 'otlp', Number(m[2]), 100 * (Number(m[2]) + 1));
    },
    prometheus: (_x, which) => ({
      source: `${which} prometheus`,
      query: async () => {
        throw new UnreachableError('connection refused');
      },
    }),
  };
  const pod = (arm: 'statsd' | 'otlp', process: number) => ({
    namespace: 'rehearsal',
    name: `three-arms-producer-${arm}-${process}`,
    arm,
    process,
  });
  const report = await collectReport(
    {
      experiment: x,
      schedule,
      createdAt: new Date(T0 - 60_000).toISOString(),
      nowMs: schedule.drainEndMs + 1000,
      producers: [pod('statsd', 0), pod('statsd', 1), pod('otlp', 0), pod('otlp', 1)],
      images: TEST_IMAGES,
      missing: [],
    },
    { reach },
  );
  // 99 + 199 datagrams in the same wall-clock slot, from two pods.
  assert.equal(report.arms.statsd?.books.sent.value, 300);
  assert.equal(report.arms.statsd?.peakDatagramsPer100ms.value, 298);
  assert.equal(report.arms.otlp?.exportLatencySeconds.p50.value, 0.004);
  assert.equal(report.arms.otlp?.exportLatencySeconds.p99.value, 0.256);
  assert.match(report.arms.otlp?.exportLatencySeconds.p99.source ?? '', /from 20 timed exports/);
  assert.equal(report.arms.otlp?.retries.value, 4);
});

/**
 * The collect step when nothing answers (the dev cluster's kwok pods run no processes): it still builds a
 * report, and the report lists every reading it could not get instead of inventing one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Reach } from '../reach.ts';
import { UnreachableError } from '../reach.ts';
import { experimentFromFile, TEST_IMAGES } from '../testing/fixtures.ts';
import { scheduleFor } from '../timeline/timeline.ts';
import { collectReport } from './collect-report.ts';

const x = experimentFromFile(join(import.meta.dirname, '../render/testdata/inputs/three-arms-partial.yaml'));
const T0 = Date.parse('2026-11-26T09:00:00Z');

test('a collection where no pod and no Prometheus answers gives an honest report', async () => {
  const reach: Reach = {
    startProducer: async () => {},
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

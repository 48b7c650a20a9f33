import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { computeStatus } from '../status/compute.ts';
import { experimentFromFile } from '../testing/fixtures.ts';
import {
  DEFAULT_TIMELINE_OPTIONS as OPTS,
  readyTimedOut,
  requeueAfterMs,
  scheduleFor,
  stageOf,
  startAtFor,
} from './timeline.ts';

// three-arms-partial: warm-up 5 s, phases 10 s + 20 s, drain 5 s (default), TTL 600 s.
const spec = experimentFromFile(
  join(import.meta.dirname, '../render/testdata/inputs/three-arms-partial.yaml'),
).spec;
const T0 = Date.parse('2026-11-26T09:00:00Z');

describe('timeline', () => {
  test('startAt is warm-up after ready unless the spec fixes it', () => {
    assert.equal(startAtFor(spec, T0), T0 + 5000);
    assert.equal(
      startAtFor({ ...spec, load: { ...spec.load, startAt: '2026-11-26T09:15:00Z' } }, T0),
      Date.parse('2026-11-26T09:15:00Z'),
    );
  });

  test('an experiment walks every stage with requeueAfter landing just after each boundary', () => {
    const pods = { ready: 0, total: 6, notReady: [] };
    let now = T0;
    let status = computeStatus(undefined, { generation: 1, provision: { ok: true, objects: 20 }, pods }, now);
    assert.equal(status.phase, 'WaitingReady');
    assert.equal(requeueAfterMs(status, spec, now, OPTS), OPTS.readyPollMs);

    now += 3000;
    const startAtMs = startAtFor(spec, now);
    const schedule = scheduleFor(spec, startAtMs);
    const running = {
      generation: 1,
      provision: { ok: true as const, objects: 20 },
      pods: { ...pods, ready: 6 },
      schedule,
    };
    status = computeStatus(status, running, now);
    assert.equal(status.phase, 'Running');
    assert.equal(stageOf(status, spec, now), 'active');
    const seen: string[] = [];
    for (let i = 0; i < 10 && stageOf(status, spec, now) === 'active'; i++) {
      const wait = requeueAfterMs(status, spec, now, OPTS)!;
      now += wait;
      status = computeStatus(status, running, now);
      seen.push(`${status.phase}:${status.currentPhase ?? '-'}@${(now - startAtMs) / 1000}`);
    }
    assert.deepEqual(seen, [
      'Running:pre-open@0.05',
      'Running:open@10.05',
      'Draining:-@30.05',
      'Collecting:-@35.05',
    ]);
    assert.equal(stageOf(status, spec, now), 'collect');
    assert.equal(requeueAfterMs(status, spec, now, OPTS), 0);

    const summary = {
      answer: 'the-same' as const,
      sentence: 's',
      firstFailure: null,
      figures: {},
      missing: [],
    };
    status = computeStatus(
      status,
      { generation: 1, report: { configMap: 'three-arms-report', summary, arms: '' }, cleanup: 'pending' },
      now,
    );
    assert.equal(status.phase, 'Succeeded');
    assert.equal(stageOf(status, spec, now), 'await-ttl');
    assert.equal(requeueAfterMs(status, spec, now, OPTS), 600_000 + 50);
    now += 600_050;
    assert.equal(stageOf(status, spec, now), 'cleanup');
    status = computeStatus(status, { generation: 1, cleanup: 'done' }, now);
    assert.equal(stageOf(status, spec, now), 'done');
    assert.equal(requeueAfterMs(status, spec, now, OPTS), undefined);
    assert.equal(status.phase, 'Succeeded');
  });

  test('without a TTL a finished experiment is done at once', () => {
    const noTtl = { ...spec, ttlSecondsAfterFinished: undefined };
    const s = computeStatus(undefined, { generation: 1, failure: { reason: 'X', message: '' } }, T0);
    assert.equal(stageOf(s, noTtl, T0), 'done');
  });

  test('pods not ready within the timeout is detected from the Provisioned transition time', () => {
    const s = computeStatus(
      undefined,
      { generation: 1, provision: { ok: true, objects: 1 }, pods: { ready: 1, total: 2, notReady: [] } },
      T0,
    );
    assert.equal(readyTimedOut(s, T0 + OPTS.readyTimeoutMs - 1, OPTS), false);
    assert.equal(readyTimedOut(s, T0 + OPTS.readyTimeoutMs, OPTS), true);
    assert.equal(requeueAfterMs(s, spec, T0 + OPTS.readyTimeoutMs - 1000, OPTS), 1050);
  });

  test('an undelivered start is retried before startAt', () => {
    const schedule = scheduleFor(spec, T0 + 5000);
    const s = {
      ...computeStatus(undefined, { generation: 1, schedule }, T0),
      startUndelivered: ['p-0: refused'],
    };
    assert.equal(requeueAfterMs(s, spec, T0, OPTS), OPTS.startRetryMs);
  });
});

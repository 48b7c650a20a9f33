import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCase, withMixedExpectations } from '../../report/testdata/golden.ts';
import type { Report } from '../../report/types.ts';
import { computeStatus, type ScheduleFacts } from './compute.ts';
import { FAILED, findCondition, PASSED, PROVISIONED, SPEC_VALID, WORKLOAD_READY } from './conditions.ts';
import { derivePhase } from './phase.ts';
import { summarizeReport } from './summary.ts';

const T0 = Date.parse('2026-11-26T09:00:00Z');
const schedule: ScheduleFacts = {
  startAtMs: T0 + 60_000,
  loadEndMs: T0 + 90_000,
  drainEndMs: T0 + 95_000,
  phases: [
    { name: 'pre-open', startMs: T0 + 60_000, endMs: T0 + 70_000 },
    { name: 'open', startMs: T0 + 70_000, endMs: T0 + 90_000 },
  ],
};

describe('computeStatus', () => {
  test('recomputing from the same facts gives an identical status (lastTransitionTime kept)', () => {
    const facts = {
      generation: 1,
      provision: { ok: true as const, objects: 9 },
      pods: { ready: 1, total: 3, notReady: ['a', 'b'] },
    };
    const first = computeStatus(undefined, facts, T0);
    const again = computeStatus(first, facts, T0 + 30_000);
    assert.deepEqual(again, first);
  });

  test('a status change moves lastTransitionTime; a message change alone does not', () => {
    const a = computeStatus(undefined, { generation: 1, pods: { ready: 1, total: 3, notReady: [] } }, T0);
    const b = computeStatus(a, { generation: 1, pods: { ready: 2, total: 3, notReady: [] } }, T0 + 1000);
    assert.equal(findCondition(b.conditions, WORKLOAD_READY)?.lastTransitionTime, new Date(T0).toISOString());
    assert.equal(findCondition(b.conditions, WORKLOAD_READY)?.message, '2/3 pods ready');
    const c = computeStatus(b, { generation: 1, pods: { ready: 3, total: 3, notReady: [] } }, T0 + 2000);
    assert.equal(
      findCondition(c.conditions, WORKLOAD_READY)?.lastTransitionTime,
      new Date(T0 + 2000).toISOString(),
    );
  });

  test('an invalid spec is Failed with reason InvalidSpec, and a fixed spec clears it', () => {
    const bad = computeStatus(
      undefined,
      {
        generation: 1,
        specErrors: ['spec.scale: 2 is above 1'],
        failure: { reason: 'InvalidSpec', message: 'spec.scale: 2 is above 1' },
      },
      T0,
    );
    assert.equal(bad.phase, 'Failed');
    assert.equal(findCondition(bad.conditions, SPEC_VALID)?.status, 'False');
    assert.match(bad.message ?? '', /InvalidSpec: spec\.scale/);
    const fixed = computeStatus(bad, { generation: 2 }, T0 + 1000);
    assert.equal(findCondition(fixed.conditions, FAILED)?.status, 'False');
    assert.equal(fixed.phase, 'Provisioning');
    assert.equal(fixed.observedGeneration, 2);
  });

  test('a failure other than InvalidSpec stays failed on later passes', () => {
    const failed = computeStatus(
      undefined,
      { generation: 1, failure: { reason: 'ReadyTimeout', message: 'x' } },
      T0,
    );
    const later = computeStatus(failed, { generation: 1 }, T0 + 1000);
    assert.equal(later.phase, 'Failed');
  });

  test('the phase follows the clock through the schedule', () => {
    const base = {
      generation: 1,
      provision: { ok: true as const, objects: 9 },
      pods: { ready: 3, total: 3, notReady: [] },
      schedule,
    };
    const at = (ms: number) => computeStatus(undefined, base, ms);
    assert.equal(at(T0).phase, 'Running');
    assert.equal(at(T0).currentPhase, undefined);
    assert.equal(at(T0 + 65_000).currentPhase, 'pre-open');
    assert.equal(at(T0 + 75_000).currentPhase, 'open');
    assert.equal(at(T0 + 91_000).phase, 'Draining');
    assert.equal(at(T0 + 96_000).phase, 'Collecting');
    assert.equal(at(T0).startAt, '2026-11-26T09:01:00.000Z');
    assert.equal(at(T0).cutoffAt, '2026-11-26T09:01:35.000Z');
  });

  test('a written report makes it Succeeded and keeps the summary on later passes', () => {
    const summary = {
      answer: 'push-harder' as const,
      sentence: 'statsd lost 3% first',
      firstFailure: null,
      figures: {},
      missing: [],
    };
    const done = computeStatus(
      undefined,
      { generation: 1, schedule, report: { configMap: 'x-report', summary, arms: 'pull:ok statsd:loss' } },
      T0 + 100_000,
    );
    assert.equal(done.phase, 'Succeeded');
    assert.equal(done.verdict, 'statsd lost 3% first');
    const later = computeStatus(done, { generation: 1, cleanup: 'pending' }, T0 + 200_000);
    assert.equal(later.reportConfigMap, 'x-report');
    assert.equal(later.arms, 'pull:ok statsd:loss');
    assert.equal(later.startAt, done.startAt);
    assert.equal(later.phase, 'Succeeded');
  });

  test('derivePhase: Pending with no conditions, WaitingReady once provisioned', () => {
    assert.equal(derivePhase([]), 'Pending');
    const s = computeStatus(undefined, { generation: 1, provision: { ok: true, objects: 1 } }, T0);
    assert.equal(findCondition(s.conditions, PROVISIONED)?.status, 'True');
    assert.equal(s.phase, 'WaitingReady');
  });
});

describe('the Passed condition', () => {
  const reported = (report: Report) => {
    const { summary, arms } = summarizeReport(report);
    return computeStatus(undefined, { generation: 1, report: { configMap: 'x-report', summary, arms } }, T0);
  };

  test('is False with each expectation that did not pass and its measured value', () => {
    const c = findCondition(reported(loadCase('no-stress', withMixedExpectations)).conditions, PASSED);
    assert.equal(c?.status, 'False');
    assert.equal(c?.reason, 'ExpectationsFailed');
    assert.match(
      c!.message,
      /^2\/3 expectations did not pass: pull\.scrapeP99OverTimeout <= 0\.1%: FAIL, measured [\d.]+%; otlp\.exportLatencySeconds\.p99 <= 250 ms: MISSING \(/,
    );
  });

  test('is True when every expectation passed, and FiguresMissing when only a figure is missing', () => {
    const report = loadCase('no-stress', withMixedExpectations);
    const [, pass, missing] = report.expectations!;
    report.expectations = [pass!];
    assert.equal(findCondition(reported(report).conditions, PASSED)?.reason, 'AllPassed');
    report.expectations = [pass!, missing!];
    const c = findCondition(reported(report).conditions, PASSED);
    assert.deepEqual([c?.status, c?.reason], ['False', 'FiguresMissing']);
  });

  test('is Unknown when the spec sets no expectations, and absent before the report', () => {
    const c = findCondition(reported(loadCase('no-stress')).conditions, PASSED);
    assert.deepEqual([c?.status, c?.reason], ['Unknown', 'NoExpectations']);
    assert.equal(
      findCondition(computeStatus(undefined, { generation: 1 }, T0).conditions, PASSED),
      undefined,
    );
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadCase } from '../../report/testdata/golden.ts';
import { findCondition } from '../status/conditions.ts';
import { ACTIVE, REGRESSED, SCHEDULE_VALID } from './conditions.ts';
import { SCHEDULE_LABEL, SCHEDULED_AT_ANNOTATION } from './names.ts';
import { type PlanInput, planSchedule, type ScheduleObject } from './plan.ts';
import type { RunView } from './runs.ts';

const T = (hhmmss: string) => Date.parse(`2026-12-01T${hhmmss}Z`);
const quick = (
  parse(readFileSync(new URL('../../examples/quick.yaml', import.meta.url), 'utf8')) as { spec: unknown }
).spec;

function schedule(over: Record<string, unknown> = {}, status?: ScheduleObject['status']): ScheduleObject {
  return {
    metadata: {
      name: 'nightly',
      namespace: 'ns',
      uid: 'uid-1',
      generation: 1,
      creationTimestamp: '2026-12-01T09:00:30Z',
    },
    spec: { schedule: '*/5 * * * *', historyLimit: 2, template: { spec: quick }, ...over },
    ...(status ? { status } : {}),
  };
}

function run(name: string, at: string, result: RunView['result'], over: Partial<RunView> = {}): RunView {
  return {
    name,
    scheduledAtMs: T(at),
    phase: result === 'Running' ? 'Running' : result === 'Failed' ? 'Failed' : 'Succeeded',
    result,
    reportConfigMap: result === 'Running' ? undefined : `${name}-report`,
    ttlSet: false,
    deleting: false,
    ...over,
  } as RunView;
}

const plan = (over: Partial<PlanInput>) =>
  planSchedule({ schedule: schedule(), runs: [], keptReports: [], nowMs: T('09:05:01'), ...over });

describe('planSchedule', () => {
  test('creates one run per tick, named after the tick, owned and labelled by the schedule', () => {
    const p = plan({});
    assert.equal(p.create?.metadata.name, 'nightly-20261201-0905');
    assert.deepEqual(p.create?.metadata.ownerReferences?.[0], {
      apiVersion: 'pushpull.dev/v1alpha1',
      kind: 'PushPullSchedule',
      name: 'nightly',
      uid: 'uid-1',
      controller: true,
      blockOwnerDeletion: true,
    });
    assert.equal(p.create?.metadata.labels?.[SCHEDULE_LABEL], 'nightly');
    assert.equal(p.create?.metadata.annotations?.[SCHEDULED_AT_ANNOTATION], '2026-12-01T09:05:00.000Z');
    assert.deepEqual(p.create?.spec, quick);
    assert.equal(p.status.lastScheduleTime, '2026-12-01T09:05:00.000Z');
    assert.equal(p.status.nextScheduleTime, '2026-12-01T09:10:00.000Z');
    assert.equal(p.requeueAfterMs, T('09:10:00') - T('09:05:01') + 1000);
    assert.deepEqual(p.status.active, ['nightly-20261201-0905']);
    assert.equal(findCondition(p.status.conditions, ACTIVE)?.status, 'True');
    assert.deepEqual(
      p.events.map((e) => e.reason),
      ['RunCreated'],
    );
  });

  test('the same pass again creates nothing: the run for the tick exists', () => {
    const first = plan({});
    const again = plan({
      schedule: schedule({}, first.status),
      runs: [run('nightly-20261201-0905', '09:05:00', 'Running')],
      nowMs: T('09:06:00'),
    });
    assert.equal(again.create, undefined);
    assert.deepEqual(again.events, []);
  });

  test('no tick before the schedule existed, and a tick missed past the deadline is skipped', () => {
    assert.equal(plan({ nowMs: T('09:04:00') }).create, undefined);
    const late = plan({ schedule: schedule({ startingDeadlineSeconds: 60 }), nowMs: T('09:07:00') });
    assert.equal(late.create, undefined);
    assert.equal(late.status.nextScheduleTime, '2026-12-01T09:10:00.000Z');
  });

  test('Forbid waits for the running one, telling once; Replace deletes it and starts anew', () => {
    const running = [run('nightly-20261201-0900', '09:00:00', 'Running')];
    const forbid = plan({ runs: running });
    assert.equal(forbid.create, undefined);
    assert.deepEqual(
      forbid.events.map((e) => e.reason),
      ['TickSkipped'],
    );
    const again = plan({ schedule: schedule({}, forbid.status), runs: running, nowMs: T('09:05:30') });
    assert.deepEqual(again.events, []);
    const replace = plan({ schedule: schedule({ concurrencyPolicy: 'Replace' }), runs: running });
    assert.deepEqual(replace.delete, ['nightly-20261201-0900']);
    assert.equal(replace.create?.metadata.name, 'nightly-20261201-0905');
  });

  test('keeps historyLimit finished runs, deletes older ones and keeps their reports', () => {
    const runs = [
      run('nightly-20261201-0850', '08:50:00', 'Passed'),
      run('nightly-20261201-0855', '08:55:00', 'Passed'),
      run('nightly-20261201-0900', '09:00:00', 'Failed'),
    ];
    const p = plan({ runs, nowMs: T('09:04:00') });
    assert.deepEqual(p.delete, ['nightly-20261201-0850']);
    assert.deepEqual(p.keepReports, [
      {
        configMap: 'nightly-20261201-0850-report',
        experiment: 'nightly-20261201-0850',
        scheduledAt: '2026-12-01T08:50:00.000Z',
      },
    ]);
    assert.deepEqual(
      p.status.history?.map((h) => [h.name, h.result]),
      [
        ['nightly-20261201-0900', 'Failed'],
        ['nightly-20261201-0855', 'Passed'],
      ],
    );
    assert.equal(p.status.lastResult, 'Failed');
  });

  test('prunes kept reports past reportHistoryLimit, oldest first', () => {
    const kept = ['08:00:00', '08:05:00', '08:10:00'].map((at, i) => ({
      configMap: `old-${i}-report`,
      experiment: `old-${i}`,
      scheduledAtMs: T(at),
    }));
    const p = plan({
      schedule: schedule({ reportHistoryLimit: 2 }),
      keptReports: kept,
      nowMs: T('09:04:00'),
    });
    assert.deepEqual(p.deleteReports, ['old-0-report']);
  });

  test('a run that finished gets one Event; the cleanup policy deletes the workload of good runs only', () => {
    const runs = [run('a', '08:55:00', 'Passed'), run('b', '09:00:00', 'NotPassed')];
    const p = plan({ runs, nowMs: T('09:04:00') });
    assert.deepEqual(
      p.events.map((e) => [e.type, e.reason]),
      [
        ['Warning', 'RunNotPassed'],
        ['Normal', 'RunPassed'],
      ],
    );
    assert.deepEqual(p.cleanup, ['a']);
    const again = plan({ schedule: schedule({}, p.status), runs, nowMs: T('09:04:30') });
    assert.deepEqual(again.events, []);
    const keepAll = plan({
      schedule: schedule({ cleanup: { succeeded: 'Keep' } }),
      runs,
      nowMs: T('09:04:00'),
    });
    assert.deepEqual(keepAll.cleanup, []);
    const withTtl = plan({ runs: [run('a', '08:55:00', 'Passed', { ttlSet: true })], nowMs: T('09:04:00') });
    assert.deepEqual(withTtl.cleanup, []);
  });

  test('a regression against the run before sets Regressed with the breaches and an Event', () => {
    const previous = loadCase('no-stress');
    const newest = loadCase('small-buffer');
    const p = plan({
      runs: [run('b', '09:00:00', 'NoExpectations'), run('a', '08:55:00', 'NoExpectations')],
      pair: {
        newest: 'b',
        previous: 'a',
        reports: { newest, previous },
        configMaps: { newest: 'b-report', previous: 'a-report' },
      },
      schedule: schedule({ regression: { maxLossRatioIncrease: 0.01 } }),
      nowMs: T('09:04:00'),
    });
    const c = findCondition(p.status.conditions, REGRESSED);
    assert.equal(c?.status, 'True');
    assert.match(
      c!.message,
      /^b against a: the verdict changed from the same to push harder .*; StatsD loss ratio rose by/,
    );
    assert.ok(p.events.some((e) => e.reason === 'Regressed' && e.type === 'Warning'));
    assert.equal(p.status.history?.find((h) => h.name === 'b')?.regressed, true);
    // The newest run's own report carries the comparison, to be written into its ConfigMap.
    assert.equal(p.report?.configMap, 'b-report');
    const [carried] = p.report!.report.comparisons ?? [];
    assert.deepEqual(carried?.against, { kind: 'previous', name: 'a', configMap: 'a-report' });
    assert.equal(carried?.comparedAt, '2026-12-01T09:04:00.000Z');
    assert.equal(carried?.regressed, true);
    const loss = carried?.rows.find((r) => r.key === 'statsd.lossRatio');
    assert.equal(loss?.regressed, true);
    assert.equal(loss?.threshold, 'rise of at most 1 percentage point');
    assert.equal(loss?.aValue, previous.arms.statsd?.lossRatio.value);
    assert.equal(loss?.bValue, newest.arms.statsd?.lossRatio.value);
    const same = plan({
      runs: [run('b', '09:00:00', 'NoExpectations'), run('a', '08:55:00', 'NoExpectations')],
      pair: {
        newest: 'b',
        previous: 'a',
        reports: { newest: previous, previous },
        configMaps: { newest: 'b-report', previous: 'a-report' },
      },
      nowMs: T('09:04:00'),
    });
    assert.equal(findCondition(same.status.conditions, REGRESSED)?.reason, 'NoRegression');
    assert.equal(same.report?.report.comparisons?.[0]?.regressed, false);
    assert.equal(findCondition(plan({}).status.conditions, REGRESSED)?.reason, 'NotCompared');
  });

  test('an invalid schedule creates nothing and says why once, naming the field', () => {
    const bad = schedule({
      schedule: '30-10 * * * *',
      template: { spec: { ...(quick as object), scale: 3 } },
    });
    const p = plan({ schedule: bad });
    assert.equal(p.create, undefined);
    const c = findCondition(p.status.conditions, SCHEDULE_VALID);
    assert.equal(c?.status, 'False');
    assert.match(c!.message, /spec\.template\.spec\.scale: 3 is too large/);
    assert.match(c!.message, /spec\.schedule: field 1 \(minute\) "30-10": the range 30-10 runs backwards/);
    assert.deepEqual(
      p.events.map((e) => e.reason),
      ['InvalidSpec'],
    );
    assert.deepEqual(
      planSchedule({
        schedule: { ...bad, status: p.status },
        runs: [],
        keptReports: [],
        nowMs: T('09:06:00'),
      }).events,
      [],
    );
  });

  test('suspended: no run, no next tick', () => {
    const p = plan({ schedule: schedule({ suspend: true }) });
    assert.equal(p.create, undefined);
    assert.equal(p.status.nextScheduleTime, undefined);
    assert.equal(findCondition(p.status.conditions, ACTIVE)?.reason, 'Suspended');
  });

  test('ticks follow the time zone', () => {
    const p = plan({
      schedule: schedule({ schedule: '15 9 * * *', timeZone: 'Europe/Paris' }),
      nowMs: Date.parse('2026-12-02T08:15:30Z'),
    });
    assert.equal(p.create?.metadata.name, 'nightly-20261202-0815');
  });
});

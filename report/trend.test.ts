import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertGolden, type CaseName, loadCase, withMixedExpectations } from './testdata/golden.ts';
import { buildTrend, renderTrendTable } from './trend.ts';
import type { Report } from './types.ts';

/** A fixture as the run of a given night. */
const night = (fixture: CaseName, startedAt: string): Report => {
  const r = structuredClone(loadCase(fixture));
  r.run.startedAt = startedAt;
  return r;
};

const runs = () => [
  { label: 'night-3', report: night('small-buffer', '2026-12-03T02:00:00Z') },
  { label: 'night-1', report: night('no-stress', '2026-12-01T02:00:00Z') },
  { label: 'night-2', report: night('no-stress', '2026-12-02T02:00:00Z') },
];

describe('buildTrend', () => {
  test('orders runs by start, compares each with the one before, and gates on the newest', () => {
    const trend = buildTrend(runs(), { maxLossRatioIncrease: 0.01 });
    assert.deepEqual(
      trend.rows.map((r) => [r.label, r.breaches?.length ?? null]),
      [
        ['night-1', null],
        ['night-2', 0],
        ['night-3', 1],
      ],
    );
    assert.match(trend.latestBreaches[0]!, /^StatsD loss ratio rose by/);
    assert.equal(
      trend.rows[2]!.figures['statsd.lossRatio'],
      loadCase('small-buffer').arms.statsd!.lossRatio.value,
    );
    assert.equal(trend.rows[0]!.figures['otlp.refusedPlusFailed'], 0);
    assert.equal(
      trend.rows[2]!.figures['otlp.refusedPlusFailed'],
      null,
      'no OTLP arm that night: missing, not 0',
    );
  });

  test('says how the expectations came out', () => {
    const withExpect = { label: 'x', report: loadCase('no-stress', withMixedExpectations) };
    assert.equal(buildTrend([withExpect]).rows[0]!.expectations, '1 failed, 1 missing of 3');
    assert.equal(buildTrend(runs()).rows[0]!.expectations, '—');
  });

  test('renders as the golden table (UPDATE_GOLDEN=1 rewrites it)', () => {
    assertGolden('trend.golden.txt', renderTrendTable(buildTrend(runs(), { maxLossRatioIncrease: 0.01 })));
  });
});

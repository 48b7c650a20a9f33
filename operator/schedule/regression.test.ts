import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCase } from '../../report/testdata/golden.ts';
import { comparePair, comparisonPair, describeComparison, reportComparisons } from './regression.ts';
import type { RunView } from './runs.ts';

const run = (name: string, at: number, result: RunView['result']): RunView => ({
  name,
  scheduledAtMs: at,
  phase: result === 'Running' ? 'Running' : 'Succeeded',
  result,
  ...(result === 'Running' ? {} : { reportConfigMap: `${name}-report` }),
  ttlSet: false,
  deleting: false,
});

describe('comparisonPair', () => {
  test('the newest finished run and the report before it, a kept one included', () => {
    const refs = comparisonPair(
      [run('c', 3, 'Running'), run('b', 2, 'Passed')],
      [{ configMap: 'a-report', experiment: 'a', scheduledAtMs: 1 }],
    );
    assert.deepEqual(refs, {
      newest: { experiment: 'b', configMap: 'b-report', scheduledAtMs: 2 },
      previous: { experiment: 'a', configMap: 'a-report', scheduledAtMs: 1 },
    });
  });

  test('one run: nothing to compare, unless a baseline is pinned (which is never its own previous)', () => {
    const runs = [run('b', 2, 'Passed')];
    assert.equal(comparisonPair(runs, []), undefined);
    assert.deepEqual(
      comparisonPair(runs, [{ configMap: 'gold', experiment: 'g', scheduledAtMs: 1 }], 'gold'),
      {
        newest: { experiment: 'b', configMap: 'b-report', scheduledAtMs: 2 },
        baseline: 'gold',
      },
    );
  });
});

describe('comparePair', () => {
  test('breaches against the baseline say so, after those against the previous run', () => {
    const calm = loadCase('no-stress');
    const lossy = loadCase('small-buffer');
    const facts = comparePair(
      {
        newest: 'b',
        previous: 'a',
        baseline: 'gold',
        reports: { newest: lossy, previous: lossy, baseline: calm },
        configMaps: { newest: 'b-report', previous: 'a-report' },
      },
      { failOnVerdictChange: true, maxLossRatioIncrease: 0.01 },
    );
    assert.ok('breaches' in facts);
    assert.equal(facts.breaches.length, 2);
    assert.match(facts.breaches[0]!, /^baseline gold: the verdict changed from the same to push harder/);
    assert.match(facts.breaches[1]!, /^baseline gold: StatsD loss ratio rose/);
    assert.equal(describeComparison(facts), 'b against a and the baseline gold');
  });
});

describe('reportComparisons', () => {
  test("the newest run's report gets one comparison per report it was compared with, the same breaches", () => {
    const calm = loadCase('no-stress');
    const lossy = loadCase('small-buffer');
    const pair = {
      newest: 'b',
      previous: 'a',
      baseline: 'gold',
      reports: { newest: lossy, previous: calm, baseline: calm },
      configMaps: { newest: 'b-report', previous: 'a-report' },
    };
    const thresholds = { maxLossRatioIncrease: 0.01, failOnVerdictChange: true };
    const out = reportComparisons(pair, thresholds, '2026-12-01T09:04:00.000Z');
    assert.deepEqual(
      out.map((c) => c.against),
      [
        { kind: 'previous', name: 'a', configMap: 'a-report' },
        { kind: 'baseline', name: 'gold', configMap: 'gold' },
      ],
    );
    const facts = comparePair(pair, thresholds);
    assert.ok('breaches' in facts);
    assert.deepEqual(facts.breaches, [
      ...out[0]!.breaches,
      ...out[1]!.breaches.map((b) => `baseline gold: ${b}`),
    ]);
    assert.equal(reportComparisons({ newest: 'b', previous: 'a', error: 'gone' }, thresholds, 'x').length, 0);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCase } from '../../report/testdata/golden.ts';
import { comparePair, comparisonPair, describeComparison } from './regression.ts';
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

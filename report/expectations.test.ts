import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expectation } from '../api/v1alpha1/schema.ts';
import { describeExpectation, evaluateExpectations, tallyExpectations } from './expectations.ts';
import { loadCase } from './testdata/golden.ts';

const small = () => structuredClone(loadCase('small-buffer'));

describe('evaluateExpectations', () => {
  test('compares each figure with its threshold and keeps the measured figure with its source', () => {
    const report = small();
    const loss = report.arms.statsd!.lossRatio;
    assert.ok(loss.value !== null && loss.value > 0.001, 'the fixture loses datagrams');
    const expect: Expectation[] = [
      { figure: 'statsd.lossRatio', op: '<=', threshold: 0.001 },
      { figure: 'statsd.lossRatio', op: '>', threshold: 0 },
    ];
    const [fail, pass] = evaluateExpectations(report, expect);
    assert.deepEqual(fail, { ...expect[0], measured: loss, outcome: 'fail' });
    assert.equal(pass!.outcome, 'pass');
  });

  test('every operator, at and either side of the threshold', () => {
    const report = small();
    const v = report.arms.statsd!.books.sent.value!;
    const outcomes = (['<', '<=', '==', '>=', '>'] as const).map((op) =>
      [v - 1, v, v + 1].map(
        (threshold) =>
          evaluateExpectations(report, [{ figure: 'statsd.books.sent', op, threshold }])[0]!.outcome,
      ),
    );
    assert.deepEqual(outcomes, [
      ['fail', 'fail', 'pass'],
      ['fail', 'pass', 'pass'],
      ['fail', 'pass', 'fail'],
      ['pass', 'pass', 'fail'],
      ['pass', 'fail', 'fail'],
    ]);
  });

  test('a missing figure is missing, not a pass, and carries the reason', () => {
    const report = small();
    report.arms.statsd!.books.kernelDrops = {
      value: null,
      unit: 'datagrams',
      source: 'udp_drops',
      missing: 'the counter exporter was down',
    };
    const [r] = evaluateExpectations(report, [
      { figure: 'statsd.books.kernelDrops', op: '<=', threshold: 1e9 },
    ]);
    assert.equal(r!.outcome, 'missing');
    assert.equal(r!.measured.missing, 'the counter exporter was down');
    assert.equal(
      describeExpectation(r!),
      'statsd.books.kernelDrops <= 1,000,000,000 datagrams: MISSING (the counter exporter was down)',
    );
  });
});

describe('tallyExpectations', () => {
  test('passes only when there is at least one expectation and all pass', () => {
    const report = small();
    const pass = evaluateExpectations(report, [{ figure: 'statsd.lossRatio', op: '>=', threshold: 0 }]);
    const fail = evaluateExpectations(report, [{ figure: 'statsd.lossRatio', op: '<', threshold: 0 }]);
    const missing = evaluateExpectations(report, [{ figure: 'otlp.retries', op: '==', threshold: 0 }]);
    assert.equal(tallyExpectations(pass).allPassed, true);
    assert.deepEqual(tallyExpectations([...pass, ...fail, ...missing]), {
      total: 3,
      passed: 1,
      failed: 1,
      missing: 1,
      allPassed: false,
    });
    assert.equal(tallyExpectations([]).allPassed, false);
  });

  test('describes a failure with the measured value in the figure unit', () => {
    const [r] = evaluateExpectations(small(), [{ figure: 'statsd.lossRatio', op: '<=', threshold: 0.001 }]);
    assert.match(describeExpectation(r!), /^statsd\.lossRatio <= 0\.1%: FAIL, measured \d/);
  });
});

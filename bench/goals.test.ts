import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateGoals } from './goals.ts';
import { caseFigures } from './result.ts';
import { OTLP_OK, SCRAPES_OK, sampleResult, UDP_KEPT_UP } from './testdata/sample-results.ts';

const PULL = { arm: 'pull', mode: 'scrape' } as const;
const BUFFERED = { arm: 'statsd', mode: 'buffered' } as const;
const GRPC = { arm: 'otlp', mode: 'grpc' } as const;

test('cost goals judge the rig path median; overhead goals apply to every case', () => {
  const results = [
    sampleResult(PULL, 1, [400], [450], 1, SCRAPES_OK),
    sampleResult(BUFFERED, 1, [5000], [6000], 1, UDP_KEPT_UP),
    sampleResult(GRPC, 1, [3000], [3100], 1, OTLP_OK),
  ];
  const cases = [PULL, BUFFERED, GRPC].map((c) => caseFigures(c, results, 1));
  const goals = evaluateGoals(cases);
  assert.deepEqual(
    goals.map((g) => [g.id, g.met]),
    [
      ['cost:pull/scrape', true],
      ['cost:statsd/buffered', false],
      ['overhead:pull/scrape', false],
      ['overhead:statsd/buffered', false],
      ['overhead:otlp/grpc', true],
    ],
  );
  const pull = goals[0]!;
  assert.equal(pull.limit, 0.5);
  assert.equal(pull.unit, 'µs');
  assert.equal(pull.figure, 0.45);
});

test('a goal whose case produced no figure is neither met nor missed', () => {
  const goals = evaluateGoals([caseFigures(PULL, [], 1)]);
  assert.deepEqual(
    goals.map((g) => [g.id, g.figure, g.met]),
    [
      ['cost:pull/scrape', null, null],
      ['overhead:pull/scrape', null, null],
    ],
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARM_NAMES } from '../api/v1alpha1/schema.ts';
import { FIGURE_NAMES, FIGURES, readFigure } from './figures.ts';
import { CASES, loadCase } from './testdata/golden.ts';

test('every figure name starts with its arm (the CEL rule on spec.expect relies on it)', () => {
  for (const name of FIGURE_NAMES) assert.ok(name.startsWith(`${FIGURES[name].arm}.`), name);
  for (const arm of [...ARM_NAMES, 'rig']) assert.ok(FIGURE_NAMES.some((n) => n.startsWith(`${arm}.`)));
});

test('each figure read from a real report has the unit the catalogue gives it', () => {
  for (const fixture of CASES) {
    const report = loadCase(fixture);
    for (const name of FIGURE_NAMES) {
      assert.equal(readFigure(report, name).unit, FIGURES[name].unit, `${fixture}: ${name}`);
    }
  }
});

test('a figure of an arm the report lacks is missing, with the reason', () => {
  const report = loadCase('small-buffer');
  assert.equal(report.arms.otlp, undefined);
  assert.deepEqual(readFigure(report, 'otlp.pointsRefused'), {
    value: null,
    unit: 'points',
    source: 'otlp.pointsRefused',
    missing: 'the report has no otlp arm',
  });
});

test('scrape p99 over the timeout divides the p99 by the spec timeout and names both sources', () => {
  const report = loadCase('scrape-timeout');
  const p99 = report.arms.pull!.scrapeDurationSeconds.p99;
  const timeout = report.experiment.spec.arms.pull!.scrapeTimeoutSeconds;
  const f = readFigure(report, 'pull.scrapeP99OverTimeout');
  assert.equal(f.value, p99.value! / timeout);
  assert.ok(f.source.includes(p99.source) && f.source.includes('scrapeTimeoutSeconds'), f.source);
});

test('scrape p99 over the timeout is missing when the p99 is, and says why', () => {
  const report = structuredClone(loadCase('scrape-timeout'));
  report.arms.pull!.scrapeDurationSeconds.p99 = {
    value: null,
    unit: 'seconds',
    source: 'q',
    missing: 'Prometheus was down',
  };
  const f = readFigure(report, 'pull.scrapeP99OverTimeout');
  assert.equal(f.value, null);
  assert.match(f.missing!, /Prometheus was down/);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comparisonSection } from './comparison-section.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { runComparison, withComparisons } from './run-comparison.ts';
import { loadCase } from './testdata/golden.ts';

const calm = loadCase('no-stress');
const lossy = loadCase('small-buffer');
const against = {
  kind: 'previous' as const,
  name: 'nightly-20261201-0900',
  configMap: 'nightly-20261201-0900-report',
};

describe('runComparison', () => {
  test('every compared figure with both values, the change, its threshold and whether it regressed', () => {
    const c = runComparison({
      against,
      a: calm,
      b: lossy,
      thresholds: { maxLossRatioIncrease: 0.01, maxP99Increase: 0.2 },
      comparedAt: '2026-12-01T09:02:00.000Z',
    });
    assert.equal(c.regressed, true);
    const loss = c.rows.find((r) => r.key === 'statsd.lossRatio')!;
    assert.equal(loss.aValue, calm.arms.statsd!.lossRatio.value);
    assert.equal(loss.bValue, lossy.arms.statsd!.lossRatio.value);
    assert.equal(loss.threshold, 'rise of at most 1 percentage point');
    assert.equal(loss.regressed, true);
    assert.match(loss.breach!, /^StatsD loss ratio rose by/);
    assert.ok(c.breaches.includes(loss.breach!));
    // Figures without a threshold are listed, not checked.
    const drops = c.rows.find((r) => r.key === 'statsd.books.kernelDrops')!;
    assert.equal(drops.threshold, null);
    assert.equal(drops.regressed, false);
  });
});

describe('comparisonSection', () => {
  test('absent until the report was compared', () => {
    assert.equal(comparisonSection(undefined), undefined);
    assert.equal(comparisonSection([]), undefined);
  });

  test('report.md shows what it was compared with, the breach and the table, under the verdict', () => {
    const c = runComparison({
      against,
      a: calm,
      b: lossy,
      thresholds: { maxLossRatioIncrease: 0.01 },
      comparedAt: '2026-12-01T09:02:00.000Z',
    });
    const md = renderMarkdown(withComparisons(lossy, [c]));
    assert.match(
      md,
      /\*\*Regressed against the run before it, nightly-20261201-0900 \(report nightly-20261201-0900-report, compared 2026-12-01T09:02:00.000Z\): 1 threshold\(s\) breached\.\*\*/,
    );
    assert.match(md, /\| figure \| A \| B \| change \| threshold \| outcome \|/);
    assert.match(
      md,
      /\| StatsD loss ratio \| [^|]+ \| [^|]+ \| \+[^|]+ pp[^|]* \| rise of at most 1 percentage point \| \*\*REGRESSED\*\* \|/,
    );
    assert.match(md, /- nightly-20261201-0900: StatsD loss ratio rose by/);
    assert.ok(md.indexOf('Compared with earlier runs') < md.indexOf('## Failure timeline'));
    const html = renderHtml(withComparisons(lossy, [c]));
    assert.match(html, /Compared with earlier runs/);
    assert.match(html, /rise of at most 1 percentage point/);
    assert.match(html, /REGRESSED/);
  });

  test('no regression says so', () => {
    const c = runComparison({
      against,
      a: calm,
      b: calm,
      thresholds: {},
      comparedAt: '2026-12-01T09:02:00.000Z',
    });
    const s = comparisonSection([c])!;
    assert.equal(s.callouts[0]?.tone, 'good');
    assert.match(s.callouts[0]!.text, /^No regression against the run before it/);
    assert.deepEqual(s.list, []);
  });
});

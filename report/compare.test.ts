import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareReports, renderCompareTable } from './compare.ts';
import { loadCase, withoutExportLatency } from './testdata/golden.ts';

const row = (rows: ReturnType<typeof compareReports>['rows'], key: string) => {
  const r = rows.find((x) => x.key === key);
  assert.ok(r, `row ${key}`);
  return r;
};

describe('compareReports', () => {
  test('a report compared with itself changes nothing and breaches nothing', () => {
    const a = loadCase('no-stress', withoutExportLatency);
    const { rows, breaches } = compareReports(a, a, {
      maxLossRatioIncrease: 0,
      maxP99Increase: 0,
      maxUpZeroIncrease: 0,
      maxOtlpLossIncrease: 0,
      maxFirstFailureEarlierSeconds: 0,
      failOnVerdictChange: true,
      failOnRigFault: true,
    });
    assert.deepEqual(breaches, []);
    for (const r of rows) assert.ok(['same', 'missing in both'].includes(r.change), `${r.key}: ${r.change}`);
    assert.equal(row(rows, 'otlp.exportLatencySeconds.p99').change, 'missing in both');
  });

  test('shows the verdict change, and fails on it only when asked', () => {
    const a = loadCase('no-stress');
    const b = loadCase('small-buffer');
    const loose = compareReports(a, b);
    assert.equal(row(loose.rows, 'verdict.answer').a, 'the same');
    assert.equal(row(loose.rows, 'verdict.answer').b, 'push harder');
    assert.equal(row(loose.rows, 'verdict.answer').change, 'changed');
    assert.deepEqual(loose.breaches, []);
    const strict = compareReports(a, b, { failOnVerdictChange: true });
    assert.match(strict.breaches[0]!, /verdict changed from the same to push harder/);
  });

  test('gives the absolute change in points and the relative change of the loss ratio', () => {
    const a = loadCase('no-stress');
    const b = loadCase('small-buffer');
    const loss = row(compareReports(a, b).rows, 'statsd.lossRatio');
    assert.equal(loss.a, '0%');
    assert.equal(loss.b, '20.2%');
    assert.ok(Math.abs(loss.abs! - 12_374 / 61_152) < 1e-12);
    assert.equal(loss.rel, null, 'no relative change from zero');
    assert.equal(loss.change, '+20.23 pp');
    const drops = row(compareReports(a, b).rows, 'statsd.books.kernelDrops');
    assert.equal(drops.change, '+12,374 datagrams');
  });

  test('fails past --max-loss-ratio-increase and not under it', () => {
    const a = loadCase('no-stress');
    const b = loadCase('small-buffer');
    assert.equal(compareReports(a, b, { maxLossRatioIncrease: 0.25 }).breaches.length, 0);
    const { breaches } = compareReports(a, b, { maxLossRatioIncrease: 0.01 });
    assert.equal(breaches.length, 1);
    assert.match(
      breaches[0]!,
      /StatsD loss ratio rose by 20\.23 percentage points \(0% → 20\.2%\), more than the allowed 1 percentage point \(--max-loss-ratio-increase\)/,
    );
  });

  test('fails past --max-p99-increase (relative) and --max-up-zero-increase', () => {
    const a = loadCase('no-stress');
    const b = loadCase('scrape-timeout');
    const p99 = row(compareReports(a, b).rows, 'pull.scrapeDurationSeconds.p99');
    assert.equal(p99.change, '+97.7 ms (+2,705%)');
    const { breaches } = compareReports(a, b, { maxP99Increase: 0.2, maxUpZeroIncrease: 5 });
    assert.equal(breaches.length, 2);
    assert.match(breaches.join('\n'), /pull scrape duration p99 rose by 2,705%/);
    assert.match(breaches.join('\n'), /pull up == 0 samples rose by 10/);
  });

  test('a first failure where there was none breaches --max-first-failure-earlier', () => {
    const a = loadCase('no-stress');
    const b = loadCase('small-buffer');
    const r = compareReports(a, b, { maxFirstFailureEarlierSeconds: 5 });
    assert.equal(row(r.rows, 'verdict.firstFailure').change, 'new failure');
    assert.match(r.breaches[0]!, /B failed \(StatsD kernel UDP drop at \+5\.1 s\) where A did not/);
  });

  test('an earlier first failure is measured in seconds', () => {
    const a = loadCase('scrape-timeout');
    const b = structuredClone(a);
    b.verdict.firstFailure = {
      ...b.verdict.firstFailure!,
      offsetSeconds: a.verdict.firstFailure!.offsetSeconds - 4,
    };
    const r = compareReports(a, b, { maxFirstFailureEarlierSeconds: 3 });
    assert.equal(row(r.rows, 'verdict.firstFailure').change, 'earlier by 4 s');
    assert.equal(r.breaches.length, 1);
    assert.equal(compareReports(a, b, { maxFirstFailureEarlierSeconds: 5 }).breaches.length, 0);
  });

  test('a figure missing on one side says so and is never read as 0', () => {
    const a = loadCase('no-stress');
    const b = loadCase('no-stress', withoutExportLatency);
    const lat = row(compareReports(a, b).rows, 'otlp.exportLatencySeconds.p99');
    assert.equal(lat.bValue, null);
    assert.equal(lat.change, 'missing in B');
    assert.match(lat.b, /^— \(the otlp producer left no final ledger\)/);
  });

  test('an arm only one run has shows "no such arm"', () => {
    const r = compareReports(loadCase('small-buffer'), loadCase('no-stress'));
    assert.equal(row(r.rows, 'otlp.pointsRefused').a, '— (no such arm)');
  });

  test('fails on a rig fault in B when asked', () => {
    const a = loadCase('no-stress');
    const b = structuredClone(a);
    b.arms.statsd!.books.closed = false;
    b.rig.rigLimited = true;
    const { breaches } = compareReports(a, b, { failOnRigFault: true });
    assert.match(breaches[0]!, /B has a rig fault: StatsD's books do not close; rig-limited/);
  });

  test('fails past --max-otlp-loss-increase', () => {
    const a = loadCase('no-stress');
    const b = structuredClone(a);
    b.arms.otlp!.pointsRefused.value = 700;
    assert.match(
      compareReports(a, b, { maxOtlpLossIncrease: 100 }).breaches[0]!,
      /OTLP refused \+ failed points rose by 700/,
    );
  });

  test('renders a table with a BREACH mark and the breaches under it', () => {
    const r = compareReports(loadCase('no-stress'), loadCase('small-buffer'), {
      maxLossRatioIncrease: 0.01,
    });
    const text = renderCompareTable(r, { a: 'a/report.json', b: 'b/report.json' });
    assert.match(text, /^A: a\/report\.json\nB: b\/report\.json\n/);
    assert.match(text, /StatsD loss ratio +0% +20\.2% +\+20\.23 pp +BREACH/);
    assert.match(text, /1 threshold\(s\) breached:\n {2}- StatsD loss ratio rose/);
  });
});

/**
 * Scenario scrape-timeout, against the real collectors: the pull target's /metrics grows from about
 * 9 KB to about 12.7 MB when its series explode, over a 0.1 s scrape_timeout. Why this and not a big
 * load: rendering 12.7 MB takes prom-client alone 0.2-0.35 s on a 2-core machine (measured), so every
 * scrape of the exploded target times out whatever else the machine is doing, while the event rate
 * stays low enough that the producer never falls behind its schedule (a rig-limited pull producer
 * would make the verdict inconclusive). A sample or body limit would fail the scrapes more cheaply,
 * but it would not show what this scenario is for: scrapes that exceed the timeout.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  assertNothingLeft,
  explain,
  keepEvidenceOnFailure,
  rehearseScenario,
  type ScenarioRun,
} from '../harness.ts';

describe('scenario scrape-timeout: /metrics outgrows a 0.1 s scrape timeout', { timeout: 180_000 }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('scrape-timeout');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('completes with scrapes at the timeout and up == 0 samples', () => {
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    const pull = run.report.arms.pull!;
    assert.ok((pull.scrapesOverTimeout.value ?? 0) > 0, `no scrape over the timeout\n${explain(run)}`);
    assert.ok((pull.upZeroSamples.value ?? 0) > 0, `no up == 0 sample\n${explain(run)}`);
    const exploded = pull.perPhase.find((p) => p.phase === 'explosion');
    assert.ok((exploded?.upZeroSamples.value ?? 0) > 0, 'the failures come with the explosion');
  });

  it('puts the pull failures on the timeline, visible to the pull operator', () => {
    const kinds = run.report.signals.filter((s) => s.arm === 'pull').map((s) => s.kind);
    assert.ok(kinds.includes('target-down'), `${kinds.join(', ')}\n${explain(run)}`);
    assert.ok(kinds.includes('scrape-timeout'), `${kinds.join(', ')}\n${explain(run)}`);
    assert.ok(run.report.signals.filter((s) => s.arm === 'pull').every((s) => s.visibleToOperator));
  });

  it('says push would have made this burst easier: pull lost data, StatsD did not', () => {
    const statsd = run.report.arms.statsd!;
    assert.equal(statsd.books.kernelDrops.value, 0, explain(run));
    assert.equal(statsd.books.closed, true, explain(run));
    assert.equal(run.report.rig.rigLimited, false, explain(run));
    assert.equal(run.report.verdict.perPushArm.statsd, 'push-easier', explain(run));
    assert.equal(run.report.verdict.firstFailure?.arm, 'pull');
    assert.match(run.report.verdict.sentence, /^Push would have made this burst easier: pull lost data/);
  });

  it('leaves no process, process group or port behind', () => {
    assertNothingLeft(run.outDir, run.started);
  });
});

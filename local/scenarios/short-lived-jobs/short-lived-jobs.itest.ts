/**
 * Scenario short-lived-jobs, against the real Prometheus, Pushgateway, statsd_exporter and otelcol: each
 * job is a real `pushpull job` process. Jobs of 0.8 s with a 10 s scrape interval are mostly missed by
 * pull direct (a job is scraped only if a scrape falls in its life: about 8% each) and captured whole
 * through the Pushgateway, StatsD and OTLP; the Pushgateway keeps serving every gone job's group with `up`
 * 1, so its staleness at the cut-off is > 0, and the renamed batch's old groups still serve their last
 * value. Every figure is read from the report, which measured it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { JobBatchResult } from '../../../report/types.ts';
import {
  assertNothingLeft,
  explain,
  keepEvidenceOnFailure,
  rehearseScenario,
  type ScenarioRun,
} from '../harness.ts';

describe('scenario short-lived-jobs: what each path captured of jobs shorter than a scrape', {
  timeout: 300_000,
}, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('short-lived-jobs');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  const batch = (name: string): JobBatchResult => {
    const b = run.report.jobs?.batches.find((x) => x.name === name);
    assert.ok(b, `no batch ${name} in the report\n${explain(run)}`);
    return b;
  };
  const why = (b: JobBatchResult) => `${JSON.stringify(b, null, 2)}\n${explain(run)}`;

  it('ran every job as its own process, each leaving a ledger with all its events', () => {
    for (const s of run.report.experiment.spec.jobs ?? []) {
      const b = batch(s.name);
      assert.equal(b.jobsRun.value, s.count, why(b));
      assert.equal(b.eventsGenerated.value, s.count * s.eventsPerJob, why(b));
      for (let i = 0; i < s.count; i++)
        assert.ok(existsSync(join(run.outDir, 'jobs', `${s.name}-${i}.json`)));
    }
  });

  it('misses most jobs shorter than the scrape interval by pull direct', () => {
    const b = batch('direct-short');
    assert.ok(b.captureRate.value !== null && b.captureRate.value < 0.5, why(b));
    assert.ok(b.jobsCaptured.value !== null && b.jobsCaptured.value < b.count / 2, why(b));
  });

  it('sees every job that outlives a scrape interval by pull direct, if only part of its events', () => {
    const b = batch('direct-long');
    assert.equal(b.jobsCaptured.value, b.count, why(b));
  });

  it('captures every short job through the Pushgateway, StatsD and OTLP', () => {
    for (const name of ['pushed', 'statsd-short', 'otlp-short']) {
      const b = batch(name);
      assert.equal(b.captureRate.value, 1, why(b));
      assert.equal(b.jobsCaptured.value, b.count, why(b));
    }
  });

  it('shows the Pushgateway keeping every gone job alive: up 1, groups served, staleness > 0', () => {
    const b = batch('pushed');
    const pg = b.pushgateway;
    assert.ok(pg, why(b));
    assert.equal(pg.upAtCutOff.value, 1, why(b));
    assert.equal(pg.groupsServed.value, b.count, why(b));
    assert.ok(pg.stalenessSecondsMin.value !== null && pg.stalenessSecondsMin.value > 0, why(b));
    // The first job pushed well over staleAfterSeconds before the cut-off: the alert on push_time_seconds knew.
    assert.ok(pg.groupsAlerting.value !== null && pg.groupsAlerting.value > 0, why(b));
    // The seed's incident: after the rename the old name's groups still serve their last value.
    assert.equal(pg.renamed?.oldGroupsServed.value, 5, why(b));
    assert.equal(pg.renamed?.oldEventsServed.value, 500, why(b));
  });

  it('keeps the push arms’ books closed with the jobs’ datagrams added', () => {
    const books = run.report.arms.statsd?.books;
    assert.ok(books?.sent.source.includes('job ledgers'), explain(run));
    assert.equal(books?.unaccounted.value, 0, explain(run));
  });

  it('answers in one sentence and leaves nothing behind', () => {
    assert.match(
      run.report.jobs?.sentence ?? '',
      /^Short-lived jobs: pull direct \(direct-short, 800 ms jobs\) captured \d of 8(?: \(\d+ of 800 events\))?; .*the Pushgateway \(pushed, 800 ms jobs\) captured 8 of 8 but every one of its 8 groups still looked alive at the cut-off/,
    );
    assertNothingLeft(run.outDir, run.started);
  });
});

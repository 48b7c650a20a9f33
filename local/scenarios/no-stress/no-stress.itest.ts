/**
 * Scenario no-stress, against the real collectors: a low rate on all three arms. Nothing fails, so
 * the verdict is "the-same" for StatsD and OTLP alike; the StatsD books close; every point the OTLP
 * producers exported (by their own count, final exports at shutdown included) was accepted by otelcol;
 * the run writes report.json, report.md and report.html and keeps the collector and producer logs.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  assertNothingLeft,
  explain,
  keepEvidenceOnFailure,
  rehearseScenario,
  type ScenarioRun,
} from '../harness.ts';

describe('scenario no-stress: a quiet run on all three arms', { timeout: 180_000 }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('no-stress');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('completes with nothing missing and no failure signal', () => {
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    assert.deepEqual(run.report.run.missing, [], explain(run));
    assert.equal(run.report.verdict.firstFailure, null, explain(run));
  });

  it('says the-same for both push arms', () => {
    assert.deepEqual(run.report.verdict.perPushArm, { statsd: 'the-same', otlp: 'the-same' }, explain(run));
    assert.equal(run.report.verdict.answer, 'the-same');
    assert.match(run.report.verdict.sentence, /^Push would have made this burst neither easier nor harder/);
  });

  it('closes the StatsD books with no drops', () => {
    const b = run.report.arms.statsd!.books;
    assert.equal(b.kernelDrops.value, 0, explain(run));
    assert.equal(b.collectorQueueDrops.value, 0);
    assert.equal(b.unaccounted.value, 0, explain(run));
    assert.ok((b.sent.value ?? 0) > 0);
  });

  it('has otelcol accept exactly the points the OTLP producers exported', () => {
    const o = run.report.arms.otlp!;
    assert.ok((o.pointsExported.value ?? 0) > 0, explain(run));
    assert.equal(o.pointsAccepted.value, o.pointsExported.value, explain(run));
    assert.equal(o.pointsRefused.value, 0);
    assert.equal(o.pointsFailed.value, 0);
    assert.equal(o.exportsFailed.value, 0);
  });

  it('writes report.json, report.md and report.html, and keeps the logs of every process', () => {
    for (const f of [run.result.files.json, run.result.files.markdown, run.result.files.html]) {
      assert.ok(existsSync(f) && statSync(f).size > 0, `${f} is missing or empty`);
    }
    assert.equal(run.result.files.json, join(run.outDir, 'report.json'));
    const logs = readdirSync(join(run.outDir, 'logs')).sort();
    for (const name of [
      'otelcol.log',
      'prometheus-rig.log',
      'prometheus-subject.log',
      'producer-otlp-0.log',
      'producer-pull-0.log',
      'producer-statsd-0.log',
      'statsd_exporter.log',
      'udp-counters.log',
    ]) {
      assert.ok(logs.includes(name), `logs/${name} is missing (logs: ${logs.join(', ')})`);
      assert.ok(statSync(join(run.outDir, 'logs', name)).size > 0, `logs/${name} is empty`);
    }
    for (const arm of ['pull', 'statsd', 'otlp']) {
      assert.ok(existsSync(join(run.outDir, 'ledgers', `${arm}-0.final.json`)), `${arm} final ledger`);
    }
  });

  it('leaves no process, process group or port behind', () => {
    assertNothingLeft(run.outDir, run.started);
  });
});

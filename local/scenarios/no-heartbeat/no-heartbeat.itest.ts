/**
 * Scenario no-heartbeat, against the real collectors: a StatsD producer is SIGKILLed while the producers
 * send no heartbeat. The report must say StatsD never knew, and why — not a time, not a guess.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { explain, keepEvidenceOnFailure, rehearseScenario, type ScenarioRun } from '../harness.ts';

describe('scenario no-heartbeat: a dead StatsD producer nobody can see', { timeout: 180_000 }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('no-heartbeat');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('reports the kill as never detected, with the reason, and no alert for it', () => {
    const f = run.report.liveness?.faults[0];
    assert.ok(f, explain(run));
    assert.equal(f.arm, 'statsd');
    assert.equal(f.alert, null);
    assert.equal(f.timeToDetect.value, null);
    assert.match(f.timeToDetect.missing ?? '', /no heartbeat/);
    assert.match(run.report.liveness?.sentence ?? '', /StatsD never \(no heartbeat\)/);
    assert.deepEqual(run.report.liveness?.falseAlarms, []);
  });
});

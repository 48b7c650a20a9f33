/**
 * Scenario producer-killed, against the real collectors: the test SIGKILLs producer process pull/1
 * three seconds into the load. The run goes on and completes; the report names the dead producer in
 * rig.producersDied and run.missing (its final ledger is lost, so the pull arm's ledger totals are
 * unknown rather than understated), Prometheus saw its targets go down, the verdict does not blame
 * pull for a failure the rig caused, and nothing is left running.
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

const VICTIM = 'pull/1';
const KILL_AT_SECONDS = 3;

describe('scenario producer-killed: SIGKILL of a producer mid-run', { timeout: 180_000 }, () => {
  let run: ScenarioRun;
  let killedPid = 0;
  let killedAt = '';
  before(async () => {
    let victimPid = 0;
    run = await rehearseScenario('producer-killed', {
      onLine: (line) => {
        const ready = new RegExp(`^producer ${VICTIM} ready \\(pid (\\d+)\\)`).exec(line);
        if (ready) victimPid = Number(ready[1]);
        const t = /^t\+(\d+)s phase/.exec(line);
        if (t && Number(t[1]) >= KILL_AT_SECONDS && victimPid > 0 && killedPid === 0) {
          killedPid = victimPid;
          killedAt = new Date().toISOString();
          process.kill(victimPid, 'SIGKILL');
        }
      },
    });
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('killed the producer during the load, and the run still completed', () => {
    assert.ok(
      killedPid > 0,
      `the test never saw ${VICTIM} ready and the load running:\n${run.lines.join('\n')}`,
    );
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    assert.ok(
      run.lines.some((l) => l.startsWith(`producer ${VICTIM} died`)),
      run.lines.join('\n'),
    );
  });

  it('lists the dead producer in rig.producersDied and run.missing', () => {
    const died = run.report.rig.producersDied;
    assert.equal(died.length, 1, explain(run));
    assert.deepEqual([died[0]?.arm, died[0]?.process], ['pull', 1]);
    assert.match(died[0]!.detail, /SIGKILL/);
    assert.ok(Date.parse(died[0]!.at) >= Date.parse(killedAt) - 1000);
    assert.ok(
      run.report.run.missing.some((m) => m.includes(`producer ${VICTIM} wrote no final ledger`)),
      explain(run),
    );
  });

  it("reports the pull arm's ledger totals as unknown, not as the survivors' sum", () => {
    const generated = run.report.arms.pull!.eventsGenerated;
    assert.equal(generated.value, null, explain(run));
    assert.match(generated.missing ?? '', /no final ledger/);
    assert.ok((run.report.arms.statsd!.eventsGenerated.value ?? 0) > 0, 'the other arm is whole');
  });

  it("shows the dead producer's targets going down in Prometheus, and calls the verdict inconclusive", () => {
    assert.ok((run.report.arms.pull!.upZeroSamples.value ?? 0) > 0, explain(run));
    assert.equal(run.report.verdict.perPushArm.statsd, 'inconclusive', explain(run));
    assert.match(run.report.verdict.sentence, /producer pull\/1 died/);
  });

  it('leaves no process, process group or port behind', () => {
    assertNothingLeft(run.outDir, run.started);
  });
});

/**
 * Scenario dead-producer, the game day against the real collectors: at one instant a pull producer is
 * SIGKILLed, two other pull producers hang for 8 s (event loop blocked, sockets open), and a StatsD (with
 * a heartbeat) and an OTLP producer are SIGKILLed. The liveness rules run in the subject Prometheus; the
 * report measures each arm's time to detect from its own alert. Bounds are Prometheus's own: a kill is
 * seen by the next scrape (interval), the rule by its next evaluation after `for` (two evaluation
 * intervals plus `for`); the margin is one more interval for the scrape's and the rule group's offsets.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readProc } from '../../../testing/proc-table.ts';
import { explain, keepEvidenceOnFailure, rehearseScenario, type ScenarioRun } from '../harness.ts';

describe('scenario dead-producer: killed and hung producers, and who knew', { timeout: 240_000 }, () => {
  let run: ScenarioRun;
  const pids = new Map<string, number>();
  let hungAlive: boolean[] = [];
  before(async () => {
    run = await rehearseScenario('dead-producer', {
      onLine: (line) => {
        const ready = /^producer (\w+\/\d+) ready \(pid (\d+)\)/.exec(line);
        if (ready) pids.set(ready[1]!, Number(ready[2]));
        if (/^fault \d+: hang pull processes 1, 2/.test(line)) {
          // Mid-hang: the hung producers' processes are alive (they are stuck, not dead).
          setTimeout(() => {
            hungAlive = ['pull/1', 'pull/2'].map((p) => {
              const proc = readProc(pids.get(p) ?? -1);
              return proc !== null && proc.state !== 'Z';
            });
          }, 3000);
        }
      },
    });
  });
  keepEvidenceOnFailure(() => run?.outDir);

  const fault = (kind: string, arm: string) => {
    const f = run.report.liveness?.faults.find((x) => x.kind === kind && x.arm === arm);
    assert.ok(f, `no ${kind} ${arm} fault in the report\n${explain(run)}`);
    return f;
  };
  const spec = () => run.report.experiment.spec;

  it('detects the killed pull producer within scrape interval + 2 evaluation intervals + for + a margin', () => {
    const s = spec();
    const bound =
      s.arms.pull!.scrapeIntervalSeconds +
      2 * s.liveness.evaluationIntervalSeconds +
      s.liveness.forSeconds +
      s.arms.pull!.scrapeIntervalSeconds;
    const t = fault('kill', 'pull').timeToDetect.value;
    assert.ok(
      t !== null && t > 0 && t <= bound,
      `pull detected in ${t} s, bound ${bound} s\n${explain(run)}`,
    );
  });

  it('shows the hung pull producers as scrape timeouts and up == 0 while their processes were alive', () => {
    assert.deepEqual(hungAlive, [true, true], 'the hung producers were not alive mid-hang');
    const hang = fault('hang', 'pull');
    assert.ok(hang.timeToDetect.value !== null, explain(run));
    // A killed producer refuses the connection at once; only the hung ones make scrapes run into the timeout.
    assert.ok((run.report.arms.pull?.scrapesOverTimeout.value ?? 0) > 0, explain(run));
    assert.ok((run.report.arms.pull?.upZeroSamples.value ?? 0) > 0, explain(run));
    assert.ok(!run.report.rig.producersDied.some((d) => d.arm === 'pull' && [1, 2].includes(d.process)));
  });

  it('detects the killed StatsD producer by its missing heartbeat, and the OTLP one by its expired series', () => {
    const s = spec();
    const statsd = fault('kill', 'statsd').timeToDetect.value;
    const otlp = fault('kill', 'otlp').timeToDetect.value;
    assert.ok(statsd !== null && statsd >= s.arms.statsd!.heartbeatTtlSeconds - 1, explain(run));
    assert.ok(otlp !== null && otlp >= s.arms.otlp!.seriesExpirationSeconds - 1, explain(run));
  });

  it('raises no alarm for a live producer, and answers in one sentence', () => {
    assert.deepEqual(run.report.liveness?.falseAlarms, [], explain(run));
    assert.match(
      run.report.liveness?.sentence ?? '',
      /^A killed producer: pull knew in .*, StatsD knew in .*, OTLP knew in .*\. A hung producer: pull knew in .*\. No alert fired for a live producer\.$/,
    );
  });
});

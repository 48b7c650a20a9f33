/**
 * Scenario sized, against the real collectors: the same pull load under a CPU-limited subject Prometheus
 * (a 20m cgroup quota) and under an unlimited one. The limited run's report shows the throttling (CFS
 * periods throttled, time throttled) and longer scrapes; the unlimited run shows none of the throttling.
 * Both runs leave no process and no cgroup behind.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  assertNothingLeft,
  explain,
  keepEvidenceOnFailure,
  rehearseScenario,
  type ScenarioRun,
} from '../harness.ts';

describe('scenario sized: a CPU-limited subject Prometheus against an unlimited one', {
  timeout: 300_000,
}, () => {
  let limited: ScenarioRun;
  let unlimited: ScenarioRun;
  before(async () => {
    limited = await rehearseScenario('sized');
    unlimited = await rehearseScenario('sized', {
      override: (d) => {
        const { collectors: _, ...spec } = d.spec;
        return { ...d, spec };
      },
    });
  });
  keepEvidenceOnFailure(() => limited?.outDir);
  keepEvidenceOnFailure(() => unlimited?.outDir);

  it('records the budget and the throttling of the limited Prometheus', () => {
    assert.equal(limited.report.run.outcome, 'completed', explain(limited));
    const p = limited.report.collectors?.find((c) => c.collector === 'prometheus');
    assert.ok(p, explain(limited));
    assert.equal(p.limits.cpuMillicores, 20);
    assert.ok((p.throttledPeriods.value ?? 0) > 0, JSON.stringify(p));
    assert.ok((p.throttledSeconds.value ?? 0) > 0, JSON.stringify(p));
    assert.ok((p.cpuUsedSeconds.value ?? 0) > 0);
    assert.equal(p.oomKills.value, 0);
    const headroom = limited.report.headroom?.find((h) => h.kind === 'collector-cpu-throttled');
    assert.ok(headroom && (headroom.share.value ?? 0) > 0, JSON.stringify(limited.report.headroom));
  });

  it('the unlimited Prometheus is measured but never throttled, and its scrapes are shorter', () => {
    assert.equal(unlimited.report.run.outcome, 'completed', explain(unlimited));
    const p = unlimited.report.collectors?.find((c) => c.collector === 'prometheus');
    assert.ok(p, explain(unlimited));
    assert.equal(p.limits.cpuMillicores, null);
    assert.equal(p.throttledPeriods.value, 0);
    const slow = limited.report.arms.pull!.scrapeDurationSeconds.p99.value;
    const fast = unlimited.report.arms.pull!.scrapeDurationSeconds.p99.value;
    assert.ok(slow !== null && fast !== null && slow > fast, `p99 limited ${slow} s, unlimited ${fast} s`);
  });

  it('leaves no process and no cgroup behind', () => {
    for (const run of [limited, unlimited]) {
      assertNothingLeft(run.outDir, run.started);
    }
    // This process's run cgroups are named run-<pid>-<ms> under a pushpull parent (local/cgroups.ts).
    const parent = '/sys/fs/cgroup/cpu/pushpull';
    if (existsSync(parent)) {
      const ours = readdirSync(parent).filter((d) => d.startsWith(`run-${process.pid}-`));
      assert.deepEqual(ours, [], `cgroups left under ${parent}`);
    }
  });
});

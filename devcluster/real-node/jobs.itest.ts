/**
 * Short-lived jobs in a cluster, for real: test-e2e/run.sh on the real node with the short-lived-jobs
 * scenario's spec — each batch an Indexed Job whose pods live 0.8 s or 12 s, the Pushgateway Deployment
 * scraped with honor_labels, pull-direct jobs found by pod discovery — and check-report.mjs's checks: every
 * job left its ledger, the push paths captured every event, the Pushgateway still served every gone job's
 * group at the cut-off, stale, with up 1. Alone on the node: the collectors' requests equal their limits,
 * and two experiments at once leave no CPU on a 2-core node for the jobs' pods. Skips, saying why, where the
 * real node cannot run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { realNodeUnavailable } from './e2e-skip.ts';
import { runE2e } from './run-e2e.ts';

test('short-lived jobs as Indexed Jobs on a real node: every job ledgered, the Pushgateway stale at the cut-off', {
  skip: realNodeUnavailable(),
  timeout: 20 * 60_000,
}, async () => {
  const { code, text } = await runE2e({
    PUSHPULL_E2E_EXAMPLES: 'local/scenarios/short-lived-jobs/experiment.yaml',
  });
  assert.equal(code, 0, `test-e2e/run.sh failed (evidence in out/e2e/):\n${text.slice(-6000)}`);
  assert.match(text, /e2e \(real-node\): 1 passed, 0 failed/);
  assert.match(
    text,
    /jobs: Short-lived jobs: .*the Pushgateway \(pushed, 800 ms jobs\) captured 8 of 8 but every one of its 8 groups still looked alive at the cut-off/,
  );
  // check-report.mjs: pull direct missed most of the short jobs; StatsD and OTLP captured nearly all events.
  assert.match(text, /jobs batch statsd-short \(statsd\): capture rate (1|0\.9\d*)\b/);
  assert.match(text, /jobs batch otlp-short \(otlp\): capture rate (1|0\.9\d*)\b/);
});

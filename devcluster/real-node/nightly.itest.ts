/**
 * A real regression between two real runs on the real node: test-e2e/run.sh with the real-node provider
 * and PUSHPULL_E2E_SCHEDULE=1 (test-e2e/nightly/): a schedule every minute runs a small StatsD template,
 * the template is then made worse on purpose (a 4 KiB receive buffer), and the next run is Regressed
 * against the first with the StatsD loss ratio named, a Regressed Event, the comparison in its own
 * report, historyLimit kept and `kubectl get` showing the columns. Skips, saying why, where the real node
 * cannot run. One real node runs per machine: on a shared machine run it under a lock, e.g. `flock /tmp/pushpull-real-node.lock npx node --test ...`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { realNodeUnavailable } from './e2e-skip.ts';
import { runE2e } from './run-e2e.ts';

test('a schedule on the real node marks the run made worse on purpose as Regressed, in its own report', {
  skip: realNodeUnavailable(),
  timeout: 20 * 60_000,
}, async () => {
  const { code, text } = await runE2e({
    PUSHPULL_E2E_EXAMPLES: '',
    PUSHPULL_E2E_SCHEDULE: '1',
  });
  assert.equal(code, 0, `test-e2e/run.sh failed (evidence in out/e2e/):\n${text.slice(-8000)}`);
  assert.match(text, /e2e \(real-node\): 1 passed, 0 failed/);
  assert.match(text, /ok: \S+ is Regressed against \S+, naming the StatsD loss ratio/);
  assert.match(text, /ok: the Regressed Warning Event names/);
  assert.match(
    text,
    /report comparison: StatsD loss ratio \S+ → \S+ \(\+[^;]+; threshold: rise of at most 1 percentage point\)/,
  );
  assert.match(text, /ok: \S+'s own report carries the comparison \(ConfigMap and pushpull report\)/);
  assert.match(text, /ok: historyLimit 1: \S+ deleted, \S+-report kept by the schedule/);
  assert.match(text, /ok: kubectl get pps \/ ppx show the columns/);
});

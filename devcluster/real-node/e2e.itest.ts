/**
 * The in-cluster rehearsal on the real node, as `npm test` runs it: test-e2e/run.sh with the real-node
 * provider (dev cluster + real kubelet node, images without Docker, the chart's operator in its own
 * pod, examples/quick.yaml scaled, the report ConfigMap checked, and the same scaled spec rehearsed locally
 * measuring the same figures). Skips, saying why, where the machine
 * cannot (not root, no br_netfilter, the node's programs not built, another real node running).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { realNodeUnavailable } from './e2e-skip.ts';
import { runE2e } from './run-e2e.ts';

test('quick, installed by the chart on a real node, succeeds with a report whose books close', {
  skip: realNodeUnavailable(),
  timeout: 20 * 60_000,
}, async () => {
  const { code, text } = await runE2e({
    PUSHPULL_E2E_EXAMPLES: 'quick',
    PUSHPULL_E2E_LOCAL: '1',
    PUSHPULL_E2E_FAULTS: '1',
  });
  assert.equal(code, 0, `test-e2e/run.sh failed (evidence in out/e2e/):\n${text.slice(-6000)}`);
  assert.match(text, /e2e \(real-node\): 1 passed, 0 failed/);
  assert.match(text, /statsd books: .*\(closed: true\)/);
  // The same scaled spec rehearsed locally measured the same arm figures (check-report.mjs --local).
  assert.match(text, /figures measured: (\d+) in the cluster, \1 locally/);
  // Faults of the cluster itself: a producer pod deleted, the operator killed, the experiment deleted.
  assert.match(text, /ok: the report names the deleted producer pod/);
  assert.match(text, /ok: deleting \S+ removed everything it owned/);
});

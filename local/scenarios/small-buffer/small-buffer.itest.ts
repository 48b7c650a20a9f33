/**
 * Scenario small-buffer, against the real collectors: one datagram per metric update into a 4 KiB
 * receive buffer. The kernel drops datagrams that statsd_exporter never sees, the books still close
 * (sent = received + kernel drops + queue drops, unaccounted 0) from the collector socket's own drop
 * counter, and with a pull arm that does not fail the verdict names StatsD: push-harder.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { explain, keepEvidenceOnFailure, rehearseScenario, type ScenarioRun } from '../harness.ts';

describe('scenario small-buffer: a 4 KiB UDP receive buffer under a burst', { timeout: 180_000 }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('small-buffer');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('completes, and the kernel dropped datagrams at the collector socket', () => {
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    const books = run.report.arms.statsd?.books;
    assert.ok(books, explain(run));
    assert.ok((books.kernelDrops.value ?? 0) > 0, `no kernel drops\n${explain(run)}`);
    assert.match(books.kernelDrops.source, /\/proc\/net\/udp drops of the collector's socket/);
  });

  it('closes the books: every datagram sent was received or dropped, unaccounted = 0', () => {
    const b = run.report.arms.statsd!.books;
    assert.equal(b.unaccounted.value, 0, explain(run));
    assert.equal(b.closed, true);
    assert.equal(
      b.sent.value,
      (b.received.value ?? 0) + (b.kernelDrops.value ?? 0) + (b.collectorQueueDrops.value ?? 0),
    );
    assert.ok((b.received.value ?? 0) > 0, 'statsd_exporter received datagrams too');
  });

  it('dates the first kernel drop on the timeline, invisible to the StatsD operator', () => {
    const drop = run.report.signals.find((s) => s.arm === 'statsd' && s.kind === 'kernel-udp-drop');
    assert.ok(drop, explain(run));
    assert.equal(drop.visibleToOperator, false);
  });

  it('says push would have made this burst harder: StatsD lost data, pull did not', () => {
    const pull = run.report.arms.pull!;
    assert.equal(pull.upZeroSamples.value, 0, explain(run));
    assert.equal(run.report.verdict.perPushArm.statsd, 'push-harder', explain(run));
    assert.equal(run.report.verdict.answer, 'push-harder');
    assert.equal(run.report.verdict.firstFailure?.arm, 'statsd');
    assert.match(run.report.verdict.sentence, /StatsD lost data/);
  });
});

/**
 * Scenario statsd-loss, against the real collectors: the StatsD producers in their own network
 * namespace, 30% of their datagrams dropped on the path for 10 s by an nft rule at the collectors'
 * end. The books close with the rule's counter as network drops, the producers never saw an error,
 * the report says StatsD did not know, and nothing of the run's network is left.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { leftovers, probeFacilities } from '../../../netfault/edge.ts';
import {
  assertNothingLeft,
  explain,
  keepEvidenceOnFailure,
  rehearseScenario,
  type ScenarioRun,
} from '../harness.ts';

const can = await probeFacilities();
const skip = can.namespaces.ok ? (can.nft ? false : 'nft is not installed') : can.namespaces.reason;

describe('scenario statsd-loss: 30% loss on the StatsD path for 10 s', { timeout: 180_000, skip }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('statsd-loss');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('ran in namespaces, and the rule dropped about 30% of the window’s datagrams', () => {
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    const net = run.report.network!;
    assert.equal(net.layout, 'namespaces', explain(run));
    const f = net.faults[0]!;
    assert.ok((f.dropped.value ?? 0) > 0, `nothing dropped\n${explain(run)}`);
    assert.match(f.dropped.source, /nft counter f0_to/);
    assert.ok(f.from !== null && f.until !== null);
  });

  it('closes the books with network drops equal to the rule counter, unaccounted = 0', () => {
    const b = run.report.arms.statsd!.books;
    const f = run.report.network!.faults[0]!;
    assert.equal(b.networkDrops?.value, f.dropped.value, explain(run));
    assert.equal(b.unaccounted.value, 0, JSON.stringify(b, null, 2));
    assert.equal(b.closed, true);
    assert.equal(
      b.sent.value,
      (b.received.value ?? 0) +
        (b.kernelDrops.value ?? 0) +
        (b.collectorQueueDrops.value ?? 0) +
        (b.networkDrops?.value ?? 0),
    );
  });

  it('the producers saw no send error, and the report says StatsD did not know', () => {
    const f = run.report.network!.faults[0]!;
    assert.equal(f.producers.sendErrors.value, 0, explain(run));
    assert.equal(run.report.rig.producersDied.length, 0);
    assert.equal(f.knew, 'neither', f.sentence);
    assert.match(f.sentence, /StatsD did not know/);
    assert.match(readFileSync(join(run.outDir, 'report.md'), 'utf8'), /StatsD did not know/);
  });

  it('leaves no process, namespace, link or nft table of the run', async () => {
    assertNothingLeft(run.outDir, run.started);
    const journal = JSON.parse(readFileSync(join(run.outDir, 'run.json'), 'utf8')) as {
      networkRunId?: string;
    };
    assert.ok(journal.networkRunId, 'the journal names the run’s network');
    assert.deepEqual(await leftovers(journal.networkRunId), []);
  });
});

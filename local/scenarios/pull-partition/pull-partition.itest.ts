/**
 * Scenario pull-partition, against the real collectors: the pull producers in their own network
 * namespace, cut off from the subject Prometheus both ways for 15 s by nft rules. The collector knew
 * (up == 0 through the window), and the cumulative counters at the cut-off hold every generated
 * event; nothing of the run's network is left.
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

describe('scenario pull-partition: a 15 s partition on the pull path', { timeout: 240_000, skip }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('pull-partition');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('ran in namespaces, and the rules dropped packets', () => {
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    const f = run.report.network!.faults[0]!;
    assert.ok((f.dropped.value ?? 0) > 0, JSON.stringify(f, null, 2));
  });

  it('the collector knew: up == 0 through the window, for every target', () => {
    const f = run.report.network!.faults[0]!;
    const seconds = (Date.parse(f.until!) - Date.parse(f.from!)) / 1000;
    // One sample per target per scrape; the first scrape after the start may still land, and the edges
    // are a scrape wide: at least (window − 2 scrapes) per target.
    assert.ok(
      (f.collector.upZeroScrapes.value ?? 0) >= 2 * (seconds - 2),
      JSON.stringify(f.collector, null, 2),
    );
    assert.ok(f.collector.firstSignalAt !== null);
    assert.ok(f.knew === 'collector' || f.knew === 'both', f.sentence);
  });

  it('the counters at the cut-off hold every generated event', () => {
    const f = run.report.network!.faults[0]!;
    const pull = run.report.arms.pull!;
    assert.equal(f.heldEveryEvent, true, `${f.sentence}\n${explain(run)}`);
    assert.equal(pull.eventsSeen.value, pull.eventsGenerated.value, explain(run));
    assert.match(f.sentence, /nothing was lost/);
  });

  it('leaves no process, namespace, link or nft table of the run', async () => {
    assertNothingLeft(run.outDir, run.started);
    const journal = JSON.parse(readFileSync(join(run.outDir, 'run.json'), 'utf8')) as {
      networkRunId?: string;
    };
    assert.ok(journal.networkRunId);
    assert.deepEqual(await leftovers(journal.networkRunId), []);
  });
});

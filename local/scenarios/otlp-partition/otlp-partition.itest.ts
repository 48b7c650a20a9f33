/**
 * Scenario otlp-partition, against the real collectors: the OTLP producers in their own network
 * namespace, cut off from otelcol both ways for 15 s by nft rules. The producers knew (failed exports,
 * retries in the window), points were accepted again after the heal, duplicates are measured, and
 * nothing of the run's network is left.
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

describe('scenario otlp-partition: a 15 s partition on the OTLP path', { timeout: 240_000, skip }, () => {
  let run: ScenarioRun;
  before(async () => {
    run = await rehearseScenario('otlp-partition');
  });
  keepEvidenceOnFailure(() => run?.outDir);

  it('ran in namespaces, and the rules dropped packets both ways', () => {
    assert.equal(run.report.run.outcome, 'completed', explain(run));
    const f = run.report.network!.faults[0]!;
    assert.equal(run.report.network!.layout, 'namespaces');
    assert.ok((f.dropped.value ?? 0) > 0, JSON.stringify(f, null, 2));
    assert.match(f.dropped.source, /f0_to .* \+ nft counter f0_from/);
  });

  it('the producers knew: failed exports in the window, and their retries counted', () => {
    const f = run.report.network!.faults[0]!;
    assert.ok((f.producers.exportsFailed.value ?? 0) > 0, JSON.stringify(f.producers, null, 2));
    // A measured count: the gRPC exporter has no retrying layer and each export's timeout ends it, so 0 is expected.
    assert.equal(typeof f.producers.retries.value, 'number', JSON.stringify(f.producers, null, 2));
    assert.ok(f.producers.firstSignalAt !== null);
    assert.ok(f.knew === 'producers' || f.knew === 'both', f.sentence);
  });

  it('points were accepted after the heal, and duplicates are a measured figure', () => {
    const f = run.report.network!.faults[0]!;
    assert.ok((f.collector.arrivedAfterHeal.value ?? 0) > 0, JSON.stringify(f.collector, null, 2));
    // The window opens once the rule is on: only what was already inside otelcol then can still count.
    assert.ok(
      (f.collector.arrived.value ?? 0) <= (f.collector.arrivedAfterHeal.value ?? 0) / 2,
      `little or nothing reached otelcol while the path was cut: ${JSON.stringify(f.collector)}`,
    );
    assert.equal(typeof f.duplicates?.value, 'number', JSON.stringify(f.duplicates));
    assert.match(f.sentence, /duplicate points/);
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

/** The NetworkFaults condition: Chaos Mesh missing, some faults not applied, all applied. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { experimentFromFile } from '../testing/fixtures.ts';
import { networkFaultsCondition } from './network-faults.ts';

const faults = experimentFromFile(join(import.meta.dirname, '../render/testdata/inputs/network-faults.yaml'))
  .spec.networkFaults!;
const at = '2026-12-01T09:30:00.000Z';

test('without Chaos Mesh: False, ChaosMeshMissing, naming every fault not applied', () => {
  const c = networkFaultsCondition(faults, { chaosMesh: false, handled: [] });
  assert.equal(c.status, 'False');
  assert.equal(c.reason, 'ChaosMeshMissing');
  assert.match(c.message, /^network faults need Chaos Mesh: this cluster does not serve NetworkChaos/);
  assert.match(
    c.message,
    /not applied: networkFaults\[0\] \(loss 30% on statsd, to-collector, 10s\), networkFaults\[1\]/,
  );
  assert.match(c.message, /networkFaults\[5\] \(partition on otlp, both, 1s\)$/);
});

test('with Chaos Mesh: True while every fault due was applied; False, NotApplied, with the reason otherwise', () => {
  const ok = networkFaultsCondition(faults, {
    chaosMesh: true,
    handled: [{ index: 0, at, objects: ['x-netfault-0'] }],
  });
  assert.deepEqual([ok.status, ok.reason], ['True', 'ChaosMesh']);
  assert.match(ok.message, /1\/6 applied: networkFaults\[0\] .* as x-netfault-0$/);
  const refused = networkFaultsCondition(faults, {
    chaosMesh: true,
    handled: [
      { index: 0, at, objects: ['x-netfault-0'] },
      { index: 1, at, notApplied: 'the pull arm is scraped by a Prometheus outside the experiment' },
    ],
  });
  assert.deepEqual([refused.status, refused.reason], ['False', 'NotApplied']);
  assert.match(
    refused.message,
    /^not applied: networkFaults\[1\] \(partition on pull, both, 6s\): the pull arm/,
  );
});

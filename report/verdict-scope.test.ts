import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFixture } from './testdata/golden.ts';
import { verdictScope } from './verdict-scope.ts';

describe('verdictScope', () => {
  test('a scaled local run says its size, the fleet it stands for, the machine, and the way closer', () => {
    const r = loadFixture('no-stress');
    r.experiment.spec.scale = 0.01;
    assert.equal(
      verdictScope(r),
      "Rehearsed at scale 0.01 (1%): 14 producers per arm at 3,800 events/s at peak, standing for a fleet of 1,400 producers per arm at 380,000 events/s, on one machine (rig-1: 2 CPUs, 24 GiB). It answers for that size, not for the fleet: to rehearse closer to production, raise the spec's scale as far as the machine allows, or run examples/market-open.yaml (scale 1) in a cluster.",
    );
  });

  test('a full-scale local run points at a cluster', () => {
    const r = loadFixture('no-stress');
    r.experiment.spec.scale = 1;
    assert.match(
      verdictScope(r),
      /^Rehearsed at full scale: 1,400 producers per arm at 380,000 events\/s, on one machine \(rig-1: /,
    );
    assert.match(verdictScope(r), /apply the same spec in a cluster sized like production/);
  });

  test('a full-scale run in a cluster names the cluster and needs no pointer', () => {
    const r = loadFixture('no-stress');
    r.experiment.spec.scale = 1;
    r.experiment.runtime = 'kubernetes';
    r.experiment.namespace = 'staging';
    assert.equal(
      verdictScope(r),
      'Rehearsed at full scale: 1,400 producers per arm at 380,000 events/s, in a Kubernetes cluster (namespace staging).',
    );
  });
});

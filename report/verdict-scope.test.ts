import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCase } from './testdata/golden.ts';
import type { Report } from './types.ts';
import { verdictScope } from './verdict-scope.ts';

/** A recorded run, made to stand for the market-open fleet on a named 2-core machine. */
function marketOpen(scale: number): Report {
  const r = loadCase('no-stress');
  r.experiment.spec.scale = scale;
  r.experiment.spec.fleet.producers = 1400;
  r.experiment.spec.load.phases = [
    { name: 'pre-open', durationSeconds: 20, eventsPerSecond: 4000, rampSeconds: 0, symbols: 50 },
    { name: 'open', durationSeconds: 30, eventsPerSecond: 380_000, rampSeconds: 0.8, symbols: 400 },
  ];
  r.machine = { ...r.machine, hostname: 'rig-1', cpus: 2, memoryBytes: 24 * 1024 ** 3 };
  return r;
}

describe('verdictScope', () => {
  test('a scaled local run says its size, the fleet it stands for, the machine, and the way closer', () => {
    const r = marketOpen(0.01);
    assert.equal(
      verdictScope(r),
      "Rehearsed at scale 0.01 (1%): 14 producers per arm at 3,800 events/s at peak, standing for a fleet of 1,400 producers per arm at 380,000 events/s, on one machine (rig-1: 2 CPUs, 24 GiB). It answers for that size, not for the fleet: to rehearse closer to production, raise the spec's scale as far as the machine allows, or run examples/market-open.yaml (scale 1) in a cluster.",
    );
  });

  test('a full-scale local run points at a cluster', () => {
    const r = marketOpen(1);
    assert.match(
      verdictScope(r),
      /^Rehearsed at full scale: 1,400 producers per arm at 380,000 events\/s, on one machine \(rig-1: /,
    );
    assert.match(verdictScope(r), /apply the same spec in a cluster sized like production/);
  });

  test('a full-scale run in a cluster names the cluster and needs no pointer', () => {
    const r = marketOpen(1);
    r.experiment.runtime = 'kubernetes';
    r.experiment.namespace = 'staging';
    assert.equal(
      verdictScope(r),
      'Rehearsed at full scale: 1,400 producers per arm at 380,000 events/s, in a Kubernetes cluster (namespace staging).',
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectorBudget } from './derived.ts';
import { parseSpecText } from './load.ts';
import { cpuMillicores, formatMemoryBytes, formatMillicores, memoryBytes } from './quantity.ts';

const SPEC = `apiVersion: pushpull.dev/v1alpha1
kind: PushPullExperiment
metadata: { name: sized }
spec:
  scale: 0.01
  fleet: { producers: 1400, producersPerProcess: 50 }
  load: { phases: [{ name: open, durationSeconds: 10, eventsPerSecond: 380000, symbols: 28 }] }
  arms: { pull: {} }
  collectors:
COLLECTORS
`;

function specWith(collectors: string) {
  return parseSpecText(SPEC.replace('COLLECTORS', collectors), 'sized.yaml');
}

describe('collector quantities', () => {
  it('reads CPU as millicores and memory as bytes, as Kubernetes does', () => {
    assert.equal(cpuMillicores('250m'), 250);
    assert.equal(cpuMillicores('0.5'), 500);
    assert.equal(cpuMillicores('2'), 2000);
    assert.equal(cpuMillicores('0.001'), 1);
    assert.equal(memoryBytes('256Mi'), 268_435_456);
    assert.equal(memoryBytes('1Gi'), 2 ** 30);
    assert.equal(memoryBytes('500M'), 500_000_000);
    assert.equal(memoryBytes('4096'), 4096);
    assert.equal(formatMillicores(20), '20m');
    assert.equal(formatMemoryBytes(2 ** 28), '256Mi');
    assert.equal(formatMemoryBytes(2_684_355), '2622Ki');
  });

  it('rejects a quantity outside the pattern, naming the field, the value and what is allowed', () => {
    assert.throws(() => cpuMillicores('0'), /cpu: "0" is not allowed; expected a CPU quantity above 0/);
    assert.throws(() => memoryBytes('1.5Gi'), /memory: "1.5Gi" is not allowed; expected a memory quantity/);
  });

  it('validate names the collector field and the allowed forms', () => {
    const result = specWith('    prometheus: { cpu: 2 cores, memory: 256MB }');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map((e) => e.message),
      [
        'spec.collectors.prometheus.cpu: "2 cores" is not allowed; allowed: a CPU quantity above 0 such as 250m, 0.5 or 2 (at most three decimals)',
        'spec.collectors.prometheus.memory: "256MB" is not allowed; allowed: a memory quantity above 0 such as 256Mi, 1Gi or 500M (a whole number, unit Ki, Mi, Gi, Ti, k, M, G or T)',
      ],
    );
    const unknown = specWith('    kafka: { cpu: 1 }');
    assert.equal(unknown.ok, false);
  });

  it('scales the budgets with scale when scaleWithFleet is set, and not otherwise', () => {
    const asWritten = specWith('    prometheus: { cpu: "2", memory: 4Gi }\n    otelcol: { memory: 1Gi }');
    assert.ok(asWritten.ok);
    if (!asWritten.ok) return;
    assert.deepEqual(collectorBudget(asWritten.document.spec, 'prometheus'), {
      cpuMillicores: 2000,
      memoryBytes: 4 * 2 ** 30,
    });
    assert.deepEqual(collectorBudget(asWritten.document.spec, 'statsd'), {
      cpuMillicores: null,
      memoryBytes: null,
    });
    const scaled = specWith('    scaleWithFleet: true\n    prometheus: { cpu: "2", memory: 4Gi }');
    assert.ok(scaled.ok);
    if (!scaled.ok) return;
    assert.deepEqual(collectorBudget(scaled.document.spec, 'prometheus'), {
      cpuMillicores: 20,
      memoryBytes: Math.ceil((4 * 2 ** 30 * 0.01) / 1024) * 1024,
    });
  });
});

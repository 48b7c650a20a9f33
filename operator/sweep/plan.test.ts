import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { SweepStep } from '../../sweep/plan.ts';
import { experimentFromYaml } from '../testing/fixtures.ts';
import { planSweep, type StepView, SWEEP_LABEL, type SweepStatus } from './plan.ts';

const quick = readFileSync(join(import.meta.dirname, '../../examples/quick.yaml'), 'utf8');
const parent = experimentFromYaml(
  `${quick.trimEnd()}\n  sweep:\n    factor: 2\n    maxSteps: 3\n    maxSeconds: 3600\n`,
  'quick-sweep',
);
const T0 = Date.parse('2026-12-01T10:00:00Z');
const read = (multiplier: number, failed: boolean, rigLimit: string | null = null): SweepStep => ({
  multiplier,
  report: `quick-step-${multiplier}-report`,
  outcome: 'completed',
  rigLimit,
  arms: (['pull', 'statsd', 'otlp'] as const).map((arm) => ({
    arm,
    failed: failed && arm === 'statsd',
    first: failed && arm === 'statsd' ? { kind: 'kernel-udp-drop', offsetSeconds: 3, detail: 'drops' } : null,
    closestShare: null,
  })),
});
const child = (index: number, multiplier: number, phase?: string): StepView => ({
  index,
  name: `quick-step-${index}`,
  multiplier,
  ...(phase ? { phase } : {}),
  ...(phase === 'Succeeded' ? { reportConfigMap: `quick-step-${index}-report` } : {}),
});
const plan = (
  status: SweepStatus | undefined,
  children: StepView[],
  reads: Array<[string, SweepStep]>,
  nowMs = T0,
) => planSweep({ parent, status, children, read: new Map(reads), startedMs: T0, nowMs });

describe('a sweep in a cluster, one step at a time', () => {
  test('the first pass starts step 1 as an owned experiment at the spec’s load, its workload removed when done', () => {
    const d = plan(undefined, [], []);
    assert.equal(d.phase, 'Running');
    const x = d.create as unknown as {
      metadata: { name: string; labels: Record<string, string>; ownerReferences: Array<{ uid: string }> };
      spec: {
        sweep?: unknown;
        ttlSecondsAfterFinished: number;
        load: { phases: Array<{ eventsPerSecond: number }> };
      };
    };
    assert.equal(x.metadata.name, 'quick-step-1');
    assert.equal(x.metadata.labels[SWEEP_LABEL], 'quick');
    assert.equal(x.metadata.ownerReferences[0]!.uid, parent.metadata.uid);
    assert.equal(x.spec.sweep, undefined);
    assert.equal(x.spec.ttlSecondsAfterFinished, 0);
    assert.deepEqual(
      x.spec.load.phases.map((p) => p.eventsPerSecond),
      parent.spec.load.phases.map((p) => p.eventsPerSecond),
    );
  });

  test('a running step is waited for; nothing is created', () => {
    const d = plan({ steps: [] }, [child(1, 1, 'Running')], []);
    assert.equal(d.create, undefined);
    assert.equal(d.requeueAfterMs, 5000);
    assert.match(d.message, /step 1 of at most 3: 1× the load/);
  });

  test('a finished step is read and the next starts at the grown load', () => {
    const d = plan({ steps: [] }, [child(1, 1, 'Succeeded')], [['quick-step-1', read(1, false)]]);
    assert.equal(d.status.steps.length, 1);
    assert.equal(d.create?.metadata.name, 'quick-step-2');
    const phases = (d.create as unknown as { spec: { load: { phases: Array<{ eventsPerSecond: number }> } } })
      .spec.load.phases;
    assert.deepEqual(
      phases.map((p) => p.eventsPerSecond),
      parent.spec.load.phases.map((p) => p.eventsPerSecond * 2),
    );
  });

  test('when every step ran, the capacity report ends the sweep with its sentence', () => {
    const d = plan(
      { steps: [read(1, false), read(2, true)] },
      [child(1, 1, 'Succeeded'), child(2, 2, 'Succeeded'), child(3, 4, 'Succeeded')],
      [['quick-step-3', read(4, true)]],
    );
    assert.equal(d.phase, 'Succeeded');
    assert.equal(d.create, undefined);
    assert.equal(d.status.capacityConfigMap, 'quick-capacity');
    assert.equal(d.capacity?.steps.length, 3);
    assert.match(d.status.sentence ?? '', /StatsD fails first .* at 2× the load, clean at 1×/);
    assert.match(d.status.ended ?? '', /3 step\(s\) of the plan ran out/);
  });

  test('a rig-limited step ends the sweep at once', () => {
    const d = plan(
      { steps: [] },
      [child(1, 1, 'Succeeded')],
      [['quick-step-1', read(1, false, 'rig-limited')]],
    );
    assert.equal(d.phase, 'Succeeded');
    assert.match(d.status.ended ?? '', /rig or the machine was the limit at step 1 \(rig-limited\)/);
  });

  test('a step that failed without a report is the limit, named', () => {
    const d = plan({ steps: [] }, [{ ...child(1, 1, 'Failed'), message: 'ReadyTimeout' }], []);
    assert.equal(d.phase, 'Succeeded');
    assert.match(d.status.ended ?? '', /quick-step-1 Failed without a report: ReadyTimeout/);
  });

  test('a step that would end past the time budget is not started', () => {
    const d = plan({ steps: [read(1, false)] }, [child(1, 1, 'Succeeded')], [], T0 + 3590_000);
    assert.equal(d.create, undefined);
    assert.match(d.status.ended ?? '', /time budget \(3600 s\) would be exceeded by step 2/);
  });

  test('an ended sweep stays ended', () => {
    const ended = plan({ steps: [] }, [{ ...child(1, 1, 'Failed') }], []).status;
    const again = plan(ended, [child(1, 1, 'Failed')], []);
    assert.deepEqual(again.status, ended);
    assert.equal(again.capacity, undefined);
  });
});

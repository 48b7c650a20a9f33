import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSpecText } from '../api/v1alpha1/load.ts';
import { validateDocument } from '../api/v1alpha1/validate.ts';
import {
  armCapacities,
  capacitySentence,
  DEFAULT_PLAN,
  planOfSpec,
  type SweepStep,
  shouldStop,
  specAtStep,
  stepMultipliers,
} from './plan.ts';
import { renderCapacityMarkdown } from './render.ts';

const quick = parseSpecText(
  readFileSync(new URL('../examples/quick.yaml', import.meta.url), 'utf8'),
  'quick.yaml',
);

const step = (
  multiplier: number,
  failed: Partial<Record<'pull' | 'statsd' | 'otlp', string>>,
  rigLimit: string | null = null,
): SweepStep => ({
  multiplier,
  report: `step-${multiplier}/run/report.md`,
  outcome: 'completed',
  rigLimit,
  arms: (['pull', 'statsd', 'otlp'] as const).map((arm) => ({
    arm,
    failed: failed[arm] !== undefined,
    first: failed[arm] ? { kind: failed[arm] as 'kernel-udp-drop', offsetSeconds: 21.5, detail: 'x' } : null,
    closestShare: 0.5,
  })),
});

describe('sweep plan', () => {
  it('spec.sweep gives the plan with its defaults, and a step is one rehearsal, not a sweep', () => {
    if (!quick.ok) throw new Error('quick.yaml is invalid');
    const doc = validateDocument({
      ...quick.document,
      spec: { ...quick.document.spec, sweep: { factor: 3 } },
    });
    if (!doc.ok) throw new Error(JSON.stringify(doc.errors));
    assert.deepEqual(planOfSpec(doc.document.spec.sweep!), {
      plan: { start: 1, factor: 3, maxSteps: 4 },
      maxSeconds: 1800,
    });
    assert.equal(specAtStep(doc.document.spec, 3).sweep, undefined);
    const bad = validateDocument({
      ...quick.document,
      spec: { ...quick.document.spec, sweep: { factor: 1 } },
    });
    assert.equal(bad.ok, false);
  });

  it('grows the load geometrically, bounded in steps, and names a bad flag', () => {
    assert.deepEqual(stepMultipliers(DEFAULT_PLAN), [1, 2, 4, 8]);
    assert.deepEqual(stepMultipliers({ start: 1, factor: 1.5, maxSteps: 3 }), [1, 1.5, 2.25]);
    assert.throws(() => stepMultipliers({ start: 1, factor: 1, maxSteps: 3 }), /--factor: 1 is not allowed/);
    assert.throws(() => stepMultipliers({ start: 1, factor: 2, maxSteps: 0 }), /--steps: 0 is not allowed/);
  });

  it('multiplies every phase rate and leaves the collectors sizing alone', () => {
    assert.ok(quick.ok);
    if (!quick.ok) return;
    const spec = { ...quick.document.spec, collectors: { scaleWithFleet: false, statsd: { cpu: '20m' } } };
    const at = specAtStep(spec, 4);
    assert.deepEqual(
      at.load.phases.map((p) => p.eventsPerSecond),
      [16_000, 1_520_000],
    );
    assert.deepEqual(at.collectors, spec.collectors);
    assert.equal(at.fleet, spec.fleet);
  });

  it('stops when every arm has failed, or when the rig was the limit', () => {
    assert.equal(shouldStop([step(1, {}), step(2, { statsd: 'kernel-udp-drop' })]), false);
    assert.equal(
      shouldStop([
        step(1, {}),
        step(2, { statsd: 'kernel-udp-drop' }),
        step(4, { pull: 'target-down', otlp: 'otlp-refused', statsd: 'kernel-udp-drop' }),
      ]),
      true,
    );
    assert.equal(shouldStop([step(1, {}, 'the machine was saturated')]), true);
  });

  it('answers in one sentence: who fails first, at what load, and who held', () => {
    const steps = [
      step(1, {}),
      step(2, { statsd: 'kernel-udp-drop' }),
      step(4, { statsd: 'kernel-udp-drop', pull: 'target-down' }),
    ];
    const arms = armCapacities(steps);
    assert.deepEqual(
      arms.map((a) => [a.arm, a.highestClean, a.firstFailure?.multiplier ?? null]),
      [
        ['pull', 2, 4],
        ['statsd', 1, 2],
        ['otlp', 4, null],
      ],
    );
    assert.equal(
      capacitySentence(arms, steps, 'the 3 step(s) of the plan ran out'),
      'As load grows: StatsD fails first (kernel UDP drop at 2× the load, clean at 1×); pull fails next (target down (up == 0) at 4× the load, clean at 2×); OTLP held to 4× — 3 of 3 step(s) read, the 3 step(s) of the plan ran out.',
    );
  });

  it('does not read an arm from a step where the machine was the limit', () => {
    const steps = [
      step(1, {}),
      step(2, { pull: 'target-down' }, 'the machine was saturated in phase open (CPU 97% busy)'),
    ];
    assert.deepEqual(
      armCapacities(steps).map((a) => a.firstFailure),
      [null, null, null],
    );
    const md = renderCapacityMarkdown({
      schema: 'pushpull.dev/capacity/v1',
      experiment: 'quick',
      plan: DEFAULT_PLAN,
      steps,
      arms: armCapacities(steps),
      ended: 'the rig or the machine was the limit at step 2',
      sentence: 's',
    });
    assert.match(md, /\| 2× \| completed \| the machine was saturated in phase open \(CPU 97% busy\) \|/);
    assert.match(md, /\[report\]\(step-2\/run\/report\.md\)/);
  });
});

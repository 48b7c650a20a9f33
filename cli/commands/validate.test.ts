import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateDocument } from '../../api/v1alpha1/validate.ts';
import { describeExperiment, formatDuration } from './validate.ts';

test('durations read as seconds, minutes or hours', () => {
  assert.equal(formatDuration(70), '70 s');
  assert.equal(formatDuration(12.25), '12.3 s');
  assert.equal(formatDuration(225), '3 min 45 s');
  assert.equal(formatDuration(600), '10 min');
  assert.equal(formatDuration(3900), '1 h 5 min');
  assert.equal(formatDuration(7200), '2 h');
});

test('the summary names the experiment, its arms, producers after scale and the total duration', () => {
  const result = validateDocument({
    apiVersion: 'pushpull.dev/v1alpha1',
    kind: 'PushPullExperiment',
    metadata: { name: 'demo' },
    spec: {
      scale: 0.001,
      fleet: { producers: 1400 },
      load: {
        startAt: '2026-11-26T09:15:00Z',
        phases: [{ name: 'open', durationSeconds: 30, eventsPerSecond: 1000, symbols: 1 }],
      },
      arms: { otlp: {}, pull: {} },
    },
  });
  assert.ok(result.ok);
  assert.equal(
    describeExperiment(result.document),
    'demo, arms pull+otlp, 1 producer per arm in 1 process, 35 s in total from 2026-11-26T09:15:00Z',
  );
});

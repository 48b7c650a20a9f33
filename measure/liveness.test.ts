import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { assembleLiveness, type RawLiveness } from './liveness.ts';

const T = Date.parse('2026-12-01T09:15:00Z');
const spec = {
  arms: { pull: {}, statsd: { heartbeatIntervalSeconds: 0 }, otlp: { seriesExpirationSeconds: 30 } },
} as unknown as ExperimentSpec;
const alert = (alertname: string, labels: Record<string, string>, firstS: number, lastS = firstS + 5) => ({
  labels: { alertname, alertstate: 'firing', ...labels },
  samples: Array.from(
    { length: lastS - firstS + 1 },
    (_, i) => [T / 1000 + firstS + i, 1] as [number, number],
  ),
});

describe('assembleLiveness', () => {
  const raw: RawLiveness = {
    faults: [
      { kind: 'kill', arm: 'pull', atMs: T + 10_000, untilMs: null, producers: ['p0003'] },
      { kind: 'kill', arm: 'statsd', atMs: T + 10_000, untilMs: null, producers: ['p0003'] },
      { kind: 'kill', arm: 'otlp', atMs: T + 10_000, untilMs: null, producers: ['p0003'] },
    ],
    alerts: {
      value: [
        alert('PushpullPullProducerDown', { producer: 'p0003', arm: 'pull' }, 12),
        // A firing for a live producer: a false alarm.
        alert('PushpullPullProducerDown', { producer: 'p0001', arm: 'pull' }, 4, 5),
        alert('PushpullOtlpProducerMissing', { instance: 'p0003', arm: 'otlp' }, 41),
      ],
      source: 'PromQL ALERTS{...}',
    },
    watched: ['pull', 'otlp'],
  };
  const l = assembleLiveness(raw, spec);

  it('measures time to detect from the fault to the first firing for one of its producers', () => {
    assert.deepEqual(
      l.faults.map((f) => [f.arm, f.timeToDetect.value]),
      [
        ['pull', 2],
        ['statsd', null],
        ['otlp', 31],
      ],
    );
    assert.equal(l.faults[0]!.detectedAt, new Date(T + 12_000).toISOString());
  });

  it('says why StatsD without a heartbeat is never detected, and has no alert for it', () => {
    const statsd = l.faults[1]!;
    assert.equal(statsd.alert, null);
    assert.match(
      statsd.timeToDetect.missing ?? '',
      /no heartbeat .*nothing can tell a dead StatsD producer from a quiet one/,
    );
  });

  it('counts firings for live producers as false alarms', () => {
    assert.deepEqual(
      l.falseAlarms.map((a) => [a.arm, a.producer]),
      [['pull', 'p0001']],
    );
  });

  it('answers in one sentence', () => {
    assert.equal(
      l.sentence,
      'A killed producer: pull knew in 2 s, StatsD never (no heartbeat), OTLP knew in 31 s. 1 alert fired for live producers (false alarms).',
    );
  });

  it('a missing ALERTS reading leaves the watched arms missing with the reason, not never', () => {
    const none = assembleLiveness(
      { ...raw, alerts: { value: null, source: 'PromQL ALERTS', missing: 'connection refused' } },
      spec,
    );
    assert.equal(none.faults[0]!.timeToDetect.missing, 'connection refused');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { detectableArms, renderLivenessRules, renderStatsdMapping } from './liveness.ts';

const spec = (heartbeat: number) =>
  ({
    arms: {
      pull: {},
      statsd: { heartbeatIntervalSeconds: heartbeat, heartbeatTtlSeconds: 3 },
      otlp: { seriesExpirationSeconds: 30 },
    },
    liveness: { evaluationIntervalSeconds: 1, forSeconds: 2, lookbackSeconds: 600 },
  }) as unknown as ExperimentSpec;

describe('renderLivenessRules', () => {
  it('renders one alert per arm a rule can watch, labelled with the arm and the experiment', () => {
    const rules = parse(renderLivenessRules('quick', spec(1))!) as {
      groups: Array<{
        interval: string;
        rules: Array<{ alert: string; expr: string; for: string; labels: Record<string, string> }>;
      }>;
    };
    const group = rules.groups[0]!;
    assert.equal(group.interval, '1000ms');
    assert.deepEqual(
      group.rules.map((r) => [r.alert, r.for, r.labels.arm]),
      [
        ['PushpullPullProducerDown', '2000ms', 'pull'],
        ['PushpullStatsdHeartbeatMissing', '2000ms', 'statsd'],
        ['PushpullOtlpProducerMissing', '2000ms', 'otlp'],
      ],
    );
    assert.equal(group.rules[0]!.expr, 'up{job="pull",experiment="quick"} == 0');
    assert.equal(
      group.rules[1]!.expr,
      'group by (producer) (max_over_time(pushpull_heartbeat{job="statsd_exporter",experiment="quick"}[600000ms])) unless group by (producer) (pushpull_heartbeat{job="statsd_exporter",experiment="quick"})',
    );
  });

  it('has no StatsD rule without a heartbeat: nothing could see a dead producer', () => {
    assert.deepEqual(detectableArms(spec(0)), ['pull', 'otlp']);
    assert.doesNotMatch(renderLivenessRules('quick', spec(0))!, /Statsd/);
  });
});

describe('renderStatsdMapping', () => {
  it('expires the heartbeat after its ttl', () => {
    const m = parse(renderStatsdMapping(spec(1))) as { mappings: Array<{ match: string; ttl: string }> };
    assert.deepEqual(m.mappings, [
      { match: 'pushpull_heartbeat', name: 'pushpull_heartbeat', match_metric_type: 'gauge', ttl: '3000ms' },
    ]);
  });
});

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

describe('renderLivenessRules, short-lived jobs', () => {
  it('adds one stale-group rule per Pushgateway batch, over both its names when it renames', () => {
    const withJobs = {
      ...spec(0),
      jobs: [
        { name: 'cron', path: 'pushgateway', staleAfterSeconds: 30, renameAfterJobs: 2 },
        { name: 'direct', path: 'pull-direct', staleAfterSeconds: 10 },
      ],
    } as unknown as ExperimentSpec;
    const rules = parse(renderLivenessRules('quick', withJobs)!).groups[0].rules as Array<{
      alert: string;
      expr: string;
      labels: Record<string, string>;
    }>;
    const stale = rules.filter((r) => r.alert === 'PushpullPushgatewayGroupStale');
    assert.deepEqual(
      stale.map((r) => [r.expr, r.labels.batch]),
      [['time() - push_time_seconds{job=~"cron|cron-renamed",experiment="quick"} > 30', 'cron']],
    );
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

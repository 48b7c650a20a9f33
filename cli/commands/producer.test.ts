import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { type ProducerArgs, producerOptionsFromArgs } from './producer.ts';

const spec = {
  seed: 1,
  scale: 1,
  maxDurationSeconds: 60,
  fleet: { producers: 4, producersPerProcess: 2 },
  load: {
    warmupSeconds: 1,
    phases: [{ name: 'a', durationSeconds: 1, eventsPerSecond: 1, rampSeconds: 0, symbols: 1 }],
  },
  series: { regions: 1, routes: 1, statuses: 1, histogramBuckets: 1 },
  arms: {
    pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 4, sampleLimit: 0, bodySizeLimitBytes: 0 },
    statsd: {
      mode: 'perEvent',
      maxBufferBytes: 1432,
      flushIntervalMs: 1000,
      flushJitter: true,
      receiveBufferBytes: 212_992,
      heartbeatIntervalSeconds: 0,
      heartbeatTtlSeconds: 10,
    },
  },
  collection: { drainSeconds: 1 },
  liveness: { evaluationIntervalSeconds: 1, forSeconds: 0, lookbackSeconds: 900 },
} satisfies ExperimentSpec;

const args = (over: Partial<ProducerArgs> = {}): ProducerArgs => ({
  spec: 'x.yaml',
  arm: 'pull',
  processIndex: 1,
  metricsListen: '127.0.0.1:0',
  rigListen: '127.0.0.1:0',
  tickMs: 10,
  maxEventsPerTick: 5000,
  progressIntervalMs: 5000,
  lingerSeconds: 60,
  ...over,
});

describe('pushpull producer flags', () => {
  it('turns flags into producer options', () => {
    const o = producerOptionsFromArgs(
      args({ arm: 'statsd', statsd: '127.0.0.1:9125', startAt: 'auto' }),
      spec,
    );
    assert.equal(o.arm, 'statsd');
    assert.deepEqual(o.statsd, { host: '127.0.0.1', port: 9125 });
    assert.deepEqual(o.metricsListen, { host: '127.0.0.1', port: 0 });
    assert.equal(o.processIndex, 1);
    assert.equal(o.startAt, 'auto');
  });

  it('rejects an unknown arm and an arm the spec does not have, naming what is allowed', () => {
    assert.throws(
      () => producerOptionsFromArgs(args({ arm: 'kafka' }), spec),
      /--arm: "kafka" is not allowed; expected one of pull, statsd, otlp/,
    );
    assert.throws(
      () => producerOptionsFromArgs(args({ arm: 'otlp' }), spec),
      /--arm: otlp is not an arm of this spec \(spec.arms has pull, statsd\)/,
    );
  });

  it('requires the destination flag of push arms', () => {
    assert.throws(
      () => producerOptionsFromArgs(args({ arm: 'statsd' }), spec),
      /--statsd: required with --arm statsd/,
    );
    assert.throws(
      () => producerOptionsFromArgs(args({ arm: 'statsd', statsd: 'nowhere' }), spec),
      /--statsd: "nowhere" is not allowed/,
    );
  });

  it('rejects a bad instant, listen address or number with the flag and the value', () => {
    assert.throws(
      () => producerOptionsFromArgs(args({ startAt: 'at nine' }), spec),
      /--start-at: "at nine" is not allowed; expected an RFC 3339 instant/,
    );
    assert.throws(
      () => producerOptionsFromArgs(args({ rigListen: 'x' }), spec),
      /--rig-listen: "x" is not allowed/,
    );
    assert.throws(
      () => producerOptionsFromArgs(args({ processIndex: Number.NaN }), spec),
      /--process-index: NaN is not allowed/,
    );
    assert.throws(
      () => producerOptionsFromArgs(args({ tickMs: 0 }), spec),
      /--tick-ms: 0 is not allowed; expected an integer >= 1/,
    );
  });
});

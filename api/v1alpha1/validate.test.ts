import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { ExperimentDocumentSchema, ExperimentSpecSchema } from './schema.ts';
import { formatPath, type SpecError, validateDocument, validateSpec } from './validate.ts';

const minimalSpec = () => ({
  fleet: {},
  load: { phases: [{ name: 'open', durationSeconds: 10, eventsPerSecond: 100, symbols: 1 }] },
  arms: { pull: {} },
});

const documentOf = (spec: unknown) => ({
  apiVersion: 'pushpull.dev/v1alpha1',
  kind: 'PushPullExperiment',
  metadata: { name: 'minimal' },
  spec,
});

function errorsOf(result: { ok: boolean; errors?: SpecError[] }): string[] {
  assert.equal(result.ok, false, 'expected the spec to be rejected');
  return (result.errors ?? []).map((e) => e.message);
}

test('a minimal spec comes back with every default applied', () => {
  const result = validateSpec(minimalSpec());
  assert.ok(result.ok);
  assert.deepEqual(result.spec, {
    seed: 1,
    scale: 1,
    maxDurationSeconds: 900,
    fleet: { producers: 1400, producersPerProcess: 50 },
    load: {
      warmupSeconds: 10,
      phases: [{ name: 'open', durationSeconds: 10, eventsPerSecond: 100, rampSeconds: 0, symbols: 1 }],
    },
    series: { regions: 3, routes: 4, statuses: 3, histogramBuckets: 12 },
    arms: {
      pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 4, sampleLimit: 0, bodySizeLimitBytes: 0 },
    },
    collection: { drainSeconds: 5 },
    liveness: { evaluationIntervalSeconds: 1, forSeconds: 0, lookbackSeconds: 900 },
  });
});

test('each arm written as {} gets its own defaults', () => {
  const result = validateSpec({ ...minimalSpec(), arms: { statsd: {}, otlp: {} } });
  assert.ok(result.ok);
  assert.deepEqual(result.spec.arms, {
    statsd: {
      mode: 'perEvent',
      maxBufferBytes: 1432,
      flushIntervalMs: 1000,
      flushJitter: true,
      receiveBufferBytes: 212_992,
      heartbeatIntervalSeconds: 0,
      heartbeatTtlSeconds: 10,
    },
    otlp: {
      protocol: 'grpc',
      exportIntervalMs: 1000,
      temporality: 'cumulative',
      seriesExpirationSeconds: 300,
    },
  });
});

test('a partly written series block keeps its values and defaults the rest', () => {
  const result = validateSpec({ ...minimalSpec(), series: { regions: 7 } });
  assert.ok(result.ok);
  assert.deepEqual(result.spec.series, { regions: 7, routes: 4, statuses: 3, histogramBuckets: 12 });
});

test('validation leaves its input untouched', () => {
  const input = minimalSpec();
  const before = structuredClone(input);
  validateSpec(input);
  assert.deepEqual(input, before);
});

test('a whole document validates and keeps its metadata', () => {
  const result = validateDocument({
    ...documentOf(minimalSpec()),
    metadata: { name: 'x', labels: { a: 'b' } },
  });
  assert.ok(result.ok);
  assert.deepEqual(result.document.metadata, { name: 'x', labels: { a: 'b' } });
  assert.equal(result.document.spec.collection.drainSeconds, 5);
});

test('the statsd mode message lists the allowed modes', () => {
  const messages = errorsOf(validateSpec({ ...minimalSpec(), arms: { statsd: { mode: 'batch' } } }));
  assert.deepEqual(messages, [
    'spec.arms.statsd.mode: "batch" is not allowed; allowed: perEvent, buffered, aggregated',
  ]);
});

test('an unknown field names the known ones and the closest', () => {
  const messages = errorsOf(validateSpec({ ...minimalSpec(), arms: { pul: {} } }));
  assert.deepEqual(messages, [
    'unknown field spec.arms.pul; known fields: pull, statsd, otlp (did you mean pull?)',
    'spec.arms: {"pul":{}} has none of pull, statsd, otlp; allowed: at least 1',
  ]);
});

test('an unknown field far from every known name gets no suggestion', () => {
  const messages = errorsOf(validateSpec({ ...minimalSpec(), kafka: true }));
  assert.equal(
    messages[0],
    'unknown field spec.kafka; known fields: seed, scale, maxDurationSeconds, fleet, load, series, arms, collection, collectors, expect, faults, networkFaults, jobs, liveness, sweep, ttlSecondsAfterFinished',
  );
});

test('every error is reported at once, with its path and value', () => {
  const result = validateSpec({
    seed: -1,
    scale: 1.5,
    fleet: { producers: 'many' },
    load: { phases: [{ name: 'Open', durationSeconds: 10, eventsPerSecond: 100 }] },
    arms: { otlp: { protocol: 'udp' } },
  });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.value]),
    [
      ['spec.seed', -1],
      ['spec.scale', 1.5],
      ['spec.fleet.producers', 'many'],
      ['spec.load.phases[0].name', 'Open'],
      ['spec.load.phases[0].symbols', undefined],
      ['spec.arms.otlp.protocol', 'udp'],
    ],
  );
  for (const error of result.errors) assert.ok(error.message.startsWith(`${error.path}: `), error.message);
});

test('a cross-field rule waits until the fields it reads are valid', () => {
  // The timeout is invalid on its own; "exceeds the interval" would be noise on top of that.
  const messages = errorsOf(
    validateSpec({
      ...minimalSpec(),
      arms: { pull: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 500 } },
    }),
  );
  assert.deepEqual(messages, [
    'spec.arms.pull.scrapeTimeoutSeconds: 500 is too large; allowed: a number from 0.1 to 300',
  ]);
});

test('a cross-field rule still runs when unrelated fields are invalid', () => {
  const messages = errorsOf(
    validateSpec({
      ...minimalSpec(),
      seed: 'x',
      arms: { pull: { scrapeIntervalSeconds: 2, scrapeTimeoutSeconds: 3 } },
    }),
  );
  assert.equal(messages.length, 2);
  assert.match(
    messages[1]!,
    /^spec\.arms\.pull\.scrapeTimeoutSeconds: 3 exceeds scrapeIntervalSeconds \(2\)/,
  );
});

test('equal bounds satisfy the cross-field rules', () => {
  const result = validateSpec({
    maxDurationSeconds: 25,
    fleet: {},
    load: {
      warmupSeconds: 10,
      phases: [
        { name: 'a', durationSeconds: 5, eventsPerSecond: 1, symbols: 3, rampSeconds: 5 },
        { name: 'b', durationSeconds: 5, eventsPerSecond: 1, symbols: 3 },
      ],
    },
    arms: { pull: { scrapeIntervalSeconds: 4, scrapeTimeoutSeconds: 4 } },
  });
  assert.ok(result.ok, JSON.stringify(result));
});

test('with startAt the warm-up does not count toward maxDurationSeconds', () => {
  const spec = {
    ...minimalSpec(),
    maxDurationSeconds: 15,
    load: { ...minimalSpec().load, warmupSeconds: 100, startAt: '2026-11-26T09:15:00Z' },
  };
  assert.ok(validateSpec(spec).ok);
  const { startAt: _, ...withoutStartAt } = spec.load;
  const messages = errorsOf(validateSpec({ ...spec, load: withoutStartAt }));
  assert.deepEqual(messages, [
    'spec.maxDurationSeconds: 15 is shorter than the schedule: warmupSeconds 100 + phases 10 + drainSeconds 5 = 115 s; allowed: at least 115 (raise maxDurationSeconds or shorten the schedule)',
  ]);
});

test('a null value is an error with a hint, not a silently dropped arm', () => {
  const messages = errorsOf(validateSpec({ ...minimalSpec(), arms: { pull: null, statsd: {} } }));
  assert.equal(messages.length, 1);
  assert.match(
    messages[0]!,
    /^spec\.arms\.pull: null \(an empty value\) is not allowed; .*write pull: \{\} for all defaults$/,
  );
});

test('too many phases is rejected with the bound', () => {
  const phases = Array.from({ length: 51 }, (_, i) => ({
    name: `p${i}`,
    durationSeconds: 1,
    eventsPerSecond: 1,
    symbols: 1,
  }));
  const messages = errorsOf(validateSpec({ ...minimalSpec(), load: { phases } }));
  assert.deepEqual(messages, [
    'spec.load.phases: a list of 51 items is not allowed; expected a list of 1 to 50 items',
  ]);
});

test('startAt must be a real calendar instant with a zone', () => {
  for (const startAt of [
    '2026-02-29T09:15:00Z',
    '2026-11-26T24:00:00Z',
    '2026-11-26T09:15:00',
    '2026-11-26 09:15:00Z',
  ]) {
    const result = validateSpec({ ...minimalSpec(), load: { ...minimalSpec().load, startAt } });
    assert.equal(result.ok, false, startAt);
  }
  for (const startAt of ['2028-02-29T09:15:00Z', '2026-11-26T09:15:00.250+05:30']) {
    assert.ok(validateSpec({ ...minimalSpec(), load: { ...minimalSpec().load, startAt } }).ok, startAt);
  }
});

test('a document that is not a mapping says what a document is', () => {
  const messages = errorsOf(validateDocument('hello'));
  assert.deepEqual(messages, [
    'the document: "hello" is a string; expected a mapping with fields apiVersion, kind, metadata, spec',
  ]);
});

test('paths quote keys that are not identifiers', () => {
  assert.equal(
    formatPath(['metadata', 'labels', 'app.kubernetes.io/name']),
    'metadata.labels["app.kubernetes.io/name"]',
  );
  assert.equal(formatPath(['spec', 'load', 'phases', 2, 'name']), 'spec.load.phases[2].name');
});

test('every default in the schema passes its own validation', () => {
  const defaults: string[] = [];
  const visit = (schema: TSchema, path: string) => {
    if (Object.hasOwn(schema, 'default')) defaults.push(path);
    for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
      visit(child, `${path}.${key}`);
    }
    if (schema.items) visit(schema.items as TSchema, `${path}[*]`);
  };
  visit(ExperimentDocumentSchema, '');
  assert.ok(defaults.length > 15);
  // The minimal spec exercises every default (all arms, series and collection omitted).
  const result = validateSpec({ ...minimalSpec(), arms: { pull: {}, statsd: {}, otlp: {} } });
  assert.ok(result.ok, JSON.stringify(result));
  assert.ok(ExperimentSpecSchema.properties.series);
});

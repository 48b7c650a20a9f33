/**
 * The JS checks and the CEL rules of api/v1alpha1/rules.ts must agree. The CEL runs in a CEL evaluator
 * (@marcbachmann/cel-js) with `self` typed from the schema the way the apiserver types it (integer →
 * int, number → double), plus the two Kubernetes list-library functions the rules use, `sum()` and
 * `isSorted()`, implemented as Kubernetes documents them. The final word is the apiserver's: the CRD
 * is applied to a real kube-apiserver in the operator's integration tests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Environment } from '@marcbachmann/cel-js';
import type { TSchema } from '@sinclair/typebox';
import { parse } from 'yaml';
import { literalValues } from '../../json-schema/describe.ts';
import { type CrossFieldRule, RULES } from './rules.ts';
import { type ExperimentSpec, ExperimentSpecSchema } from './schema.ts';
import { validateDocument } from './validate.ts';

/** The defaulted spec of examples/quick.yaml: every field present, so mutations need no defaulting. */
function baseSpec(): ExperimentSpec {
  const text = readFileSync(new URL('../../examples/quick.yaml', import.meta.url), 'utf8');
  const result = validateDocument(parse(text));
  assert.ok(result.ok);
  return structuredClone(result.document.spec);
}

/** Schema and value segments of a rule's attach path below `spec`, '*' for list items. */
function attachSegments(attach: string): string[] {
  return attach
    .replace(/^spec\.?/, '')
    .split(/\.|(?=\[\*\])/)
    .filter(Boolean)
    .map((s) => (s === '[*]' ? '*' : s));
}

function schemaAt(segments: string[]): TSchema {
  let schema: TSchema = ExperimentSpecSchema;
  for (const segment of segments) {
    schema =
      segment === '*' ? (schema.items as TSchema) : (schema.properties as Record<string, TSchema>)[segment]!;
    assert.ok(schema, `no schema node at ${segments.join('.')}`);
  }
  return schema;
}

function nodesAt(spec: ExperimentSpec, segments: string[]): unknown[] {
  let nodes: unknown[] = [spec];
  for (const segment of segments) {
    nodes = nodes.flatMap((node) => {
      if (node === undefined) return [];
      if (segment === '*') return node as unknown[];
      const child = (node as Record<string, unknown>)[segment];
      return child === undefined ? [] : [child];
    });
  }
  return nodes;
}

/** A CEL environment whose `self` has the type the apiserver derives from `schema`. */
function environmentFor(schema: TSchema): Environment {
  const env = new Environment();
  let types = 0;
  const celType = (node: TSchema): string => {
    if (literalValues(node)) return 'string';
    switch (node.type) {
      case 'integer':
        return 'int';
      case 'number':
        return 'double';
      case 'string':
        return 'string';
      case 'boolean':
        return 'bool';
      case 'array':
        return `list<${celType(node.items as TSchema)}>`;
      case 'object': {
        const name = `Object${types++}`;
        const fields: Record<string, string> = {};
        for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, TSchema>)) {
          fields[key] = celType(child);
        }
        env.registerType(name, { fields });
        return name;
      }
      default:
        throw new Error(`no CEL type for ${String(node.type)}`);
    }
  };
  env.registerVariable('self', celType(schema));
  // Kubernetes list library: sum() adds from zero in list order; isSorted() means non-decreasing.
  env.registerFunction('list<double>.sum(): double', (list: number[]) => list.reduce((a, b) => a + b, 0));
  env.registerFunction('list<int>.sum(): int', (list: bigint[]) => list.reduce((a, b) => a + b, 0n));
  for (const type of ['int', 'double', 'string']) {
    env.registerFunction(`list<${type}>.isSorted(): bool`, (list: unknown[]) =>
      list.every((item, i) => i === 0 || (list[i - 1] as number) <= (item as number)),
    );
  }
  return env;
}

/** A JSON value as CEL sees it under `schema`: integers are CEL ints (BigInt here), numbers doubles. */
function toCel(schema: TSchema, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (schema.type === 'integer') return BigInt(value as number);
  if (schema.type === 'array')
    return (value as unknown[]).map((item) => toCel(schema.items as TSchema, item));
  if (schema.type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, child]) => [
        key,
        toCel(properties[key]!, child),
      ]),
    );
  }
  return value;
}

interface Case {
  name: string;
  mutate: (spec: ExperimentSpec) => void;
}

const phase = (name: string, durationSeconds: number, symbols: number, rampSeconds = 0) => ({
  name,
  durationSeconds,
  eventsPerSecond: 100,
  rampSeconds,
  symbols,
});

const CASES: Case[] = [
  { name: 'the quick example', mutate: () => {} },
  {
    name: 'timeout equal to the interval',
    mutate: (s) => Object.assign(s.arms.pull!, { scrapeTimeoutSeconds: 5 }),
  },
  {
    name: 'timeout over the interval',
    mutate: (s) => Object.assign(s.arms.pull!, { scrapeTimeoutSeconds: 5.5 }),
  },
  {
    name: 'integral interval, fractional timeout',
    mutate: (s) => Object.assign(s.arms.pull!, { scrapeIntervalSeconds: 1, scrapeTimeoutSeconds: 1.0000001 }),
  },
  { name: 'ramp equal to the phase', mutate: (s) => (s.load.phases = [phase('a', 2, 1, 2)]) },
  { name: 'ramp longer than the phase', mutate: (s) => (s.load.phases = [phase('a', 2, 1, 2.5)]) },
  {
    name: 'duplicate names',
    mutate: (s) => (s.load.phases = [phase('a', 1, 1), phase('b', 1, 1), phase('a', 1, 1)]),
  },
  {
    name: 'distinct names',
    mutate: (s) => (s.load.phases = [phase('a', 1, 1), phase('b', 1, 1), phase('c', 1, 1)]),
  },
  { name: 'symbols equal', mutate: (s) => (s.load.phases = [phase('a', 1, 5), phase('b', 1, 5)]) },
  {
    name: 'symbols shrink',
    mutate: (s) => (s.load.phases = [phase('a', 1, 5), phase('b', 1, 9), phase('c', 1, 8)]),
  },
  { name: 'schedule exactly at the bound', mutate: (s) => (s.maxDurationSeconds = 70) },
  { name: 'schedule over the bound', mutate: (s) => (s.maxDurationSeconds = 69.5) },
  {
    name: 'startAt drops the warm-up from the bound',
    mutate: (s) => {
      s.load.startAt = '2026-11-26T09:15:00Z';
      s.load.warmupSeconds = 3000;
      s.maxDurationSeconds = 65;
    },
  },
  {
    name: 'float sums round the same way',
    mutate: (s) => {
      s.load.phases = [phase('a', 0.1, 1), phase('b', 0.2, 1)];
      s.load.warmupSeconds = 0;
      s.collection.drainSeconds = 0;
      s.maxDurationSeconds = 0.3;
    },
  },
  { name: 'no pull arm', mutate: (s) => delete s.arms.pull },
  {
    name: 'faults that are well formed',
    mutate: (s) => {
      s.faults = [
        { kind: 'kill', arm: 'pull', phase: s.load.phases[0]!.name, offsetSeconds: 0, producers: 1 },
        {
          kind: 'hang',
          arm: 'statsd',
          phase: s.load.phases[0]!.name,
          offsetSeconds: 1,
          share: 0.5,
          durationSeconds: 2,
        },
      ];
    },
  },
  {
    name: 'a fault in no phase, on no arm, with both targets and a kill duration',
    mutate: (s) => {
      delete s.arms.otlp;
      s.faults = [
        {
          kind: 'kill',
          arm: 'otlp',
          phase: 'nope',
          offsetSeconds: 0,
          producers: 1,
          share: 0.5,
          durationSeconds: 1,
        },
      ];
    },
  },
  {
    name: 'a fault past the end of its phase, with neither target',
    mutate: (s) => {
      s.faults = [{ kind: 'hang', arm: 'pull', phase: s.load.phases[0]!.name, offsetSeconds: 100_000 }];
    },
  },
  {
    name: 'network faults and job batches that are well formed',
    mutate: (s) => {
      const phase = s.load.phases[0]!.name;
      s.networkFaults = [
        {
          kind: 'loss',
          arm: 'statsd',
          direction: 'to-collector',
          phase,
          offsetSeconds: 0,
          durationSeconds: 10,
          lossShare: 0.3,
        },
        { kind: 'partition', arm: 'otlp', direction: 'both', phase, offsetSeconds: 1, durationSeconds: 15 },
        {
          kind: 'bandwidth',
          arm: 'pull',
          direction: 'both',
          phase,
          offsetSeconds: 0,
          durationSeconds: 5,
          bitsPerSecond: 1_000_000,
        },
      ];
      s.jobs = [
        {
          name: 'eod',
          path: 'pushgateway',
          count: 4,
          lifetimeSeconds: 0.8,
          eventsPerJob: 10,
          phase,
          offsetSeconds: 0,
          spreadSeconds: 2,
          maxConcurrent: 2,
        },
        {
          name: 'eod-direct',
          path: 'pull-direct',
          count: 4,
          lifetimeSeconds: 8,
          eventsPerJob: 10,
          phase,
          offsetSeconds: 0,
          spreadSeconds: 0,
          maxConcurrent: 2,
        },
      ];
    },
  },
  {
    name: 'network faults with the wrong fields, in no phase, on no arm; jobs named twice, on no arm',
    mutate: (s) => {
      delete s.arms.otlp;
      const phase = s.load.phases[0]!.name;
      s.networkFaults = [
        {
          kind: 'partition',
          arm: 'otlp',
          direction: 'both',
          phase: 'nope',
          offsetSeconds: 0,
          durationSeconds: 1,
          lossShare: 0.5,
        },
        {
          kind: 'delay',
          arm: 'statsd',
          direction: 'both',
          phase,
          offsetSeconds: 100_000,
          durationSeconds: 1,
        },
      ];
      s.jobs = [
        {
          name: 'eod',
          path: 'otlp',
          count: 1,
          lifetimeSeconds: 1,
          eventsPerJob: 1,
          phase,
          offsetSeconds: 0,
          spreadSeconds: 0,
          maxConcurrent: 1,
        },
        {
          name: 'eod',
          path: 'statsd',
          count: 1,
          lifetimeSeconds: 1,
          eventsPerJob: 1,
          phase: 'nope',
          offsetSeconds: 0,
          spreadSeconds: 0,
          maxConcurrent: 1,
        },
      ];
    },
  },
  {
    name: 'expectations on arms the spec runs, and on the rig',
    mutate: (s) =>
      (s.expect = [
        { figure: 'statsd.lossRatio', op: '<=', threshold: 0.001 },
        { figure: 'pull.scrapeP99OverTimeout', op: '<', threshold: 0.5 },
        { figure: 'rig.scheduleLagMaxEvents', op: '==', threshold: 0 },
      ]),
  },
  {
    name: 'an expectation on an arm the spec does not run',
    mutate: (s) => {
      delete s.arms.otlp;
      s.expect = [
        { figure: 'statsd.lossRatio', op: '<=', threshold: 0.001 },
        { figure: 'otlp.pointsRefused', op: '==', threshold: 0 },
      ];
    },
  },
];

test('every rule attaches to a schema node and its CEL type-checks as bool there', () => {
  for (const rule of RULES) {
    const env = environmentFor(schemaAt(attachSegments(rule.attach)));
    const checked = env.check(rule.cel);
    assert.ok(checked.valid, `${rule.id}: ${JSON.stringify(checked)}`);
    assert.equal(checked.type, 'bool', rule.id);
  }
});

test('rule ids are unique', () => {
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
});

const outcomes = new Map<string, Set<boolean>>();

for (const testCase of CASES) {
  test(`CEL and JS agree on ${testCase.name}`, () => {
    const spec = baseSpec();
    testCase.mutate(spec);
    for (const rule of RULES) {
      const segments = attachSegments(rule.attach);
      const schema = schemaAt(segments);
      const env = environmentFor(schema);
      for (const node of nodesAt(spec, segments)) {
        const jsHolds = rule.check(node).length === 0;
        const celHolds = env.evaluate(rule.cel, { self: toCel(schema, node) });
        assert.equal(
          celHolds,
          jsHolds,
          `${rule.id} on ${testCase.name}: CEL says ${celHolds}, JS says ${jsHolds}`,
        );
        const seen = outcomes.get(rule.id) ?? new Set<boolean>();
        seen.add(jsHolds);
        outcomes.set(rule.id, seen);
      }
    }
  });
}

test('the cases exercise every rule both holding and broken', () => {
  for (const rule of RULES as readonly CrossFieldRule[]) {
    assert.deepEqual([...(outcomes.get(rule.id) ?? [])].sort(), [false, true], rule.id);
  }
});

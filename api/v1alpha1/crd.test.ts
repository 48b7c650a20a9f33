/**
 * The CRD is rendered, not hand-written: a golden copy (api/v1alpha1/testdata/crd.golden.yaml) catches any
 * change, and the structural checks below catch what the apiserver would refuse.
 * `UPDATE_GOLDEN=1 npx node --test spec/crd.test.ts` rewrites the golden copy.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { assertGolden } from '../../testing/golden.ts';
import { renderCrd, renderCrdYaml } from './crd.ts';
import { RULES } from './rules.ts';

const golden = new URL('./testdata/crd.golden.yaml', import.meta.url);

type Json = Record<string, unknown>;

function openApiSchema(): Json {
  const crd = renderCrd() as { spec: { versions: { schema: { openAPIV3Schema: Json } }[] } };
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

/** Every schema node with its path, depth first. */
function nodes(schema: Json, path = ''): [string, Json][] {
  const out: [string, Json][] = [[path, schema]];
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    out.push(...nodes(child, path ? `${path}.${key}` : key));
  }
  if (schema.items) out.push(...nodes(schema.items as Json, `${path}[*]`));
  return out;
}

test('the rendered CRD matches the golden copy', () => {
  assertGolden(golden, renderCrdYaml());
});

test('rendering is pure: the same object every time', () => {
  assert.deepEqual(renderCrd(), renderCrd());
  assert.equal(renderCrdYaml(), renderCrdYaml());
});

test('the YAML parses back to the CRD object', () => {
  assert.deepEqual(parse(renderCrdYaml()), renderCrd());
});

test('names, scope, version and printer columns are the agreed ones', () => {
  const crd = renderCrd() as {
    metadata: { name: string };
    spec: {
      group: string;
      scope: string;
      names: Json;
      versions: {
        name: string;
        served: boolean;
        storage: boolean;
        subresources: Json;
        additionalPrinterColumns: Json[];
      }[];
    };
  };
  assert.equal(crd.metadata.name, 'pushpullexperiments.pushpull.dev');
  assert.equal(crd.spec.group, 'pushpull.dev');
  assert.equal(crd.spec.scope, 'Namespaced');
  assert.deepEqual(crd.spec.names, {
    kind: 'PushPullExperiment',
    listKind: 'PushPullExperimentList',
    plural: 'pushpullexperiments',
    singular: 'pushpullexperiment',
    shortNames: ['ppx'],
    categories: ['pushpull'],
  });
  const [version] = crd.spec.versions;
  assert.equal(crd.spec.versions.length, 1);
  assert.equal(version!.name, 'v1alpha1');
  assert.ok(version!.served && version!.storage);
  assert.deepEqual(version!.subresources, { status: {} });
  assert.deepEqual(
    version!.additionalPrinterColumns.map((c) => [c.name, c.type, c.jsonPath, c.priority ?? 0]),
    [
      ['Phase', 'string', '.status.phase', 0],
      ['Arms', 'string', '.status.arms', 0],
      ['Passed', 'string', '.status.conditions[?(@.type=="Passed")].status', 0],
      ['Verdict', 'string', '.status.verdict', 0],
      ['Age', 'date', '.metadata.creationTimestamp', 0],
    ],
  );
});

test('the schema is structural: every node typed, no JSON-Schema-only keywords', () => {
  const forbidden = [
    'const',
    'anyOf',
    'oneOf',
    'allOf',
    'not',
    'patternProperties',
    '$ref',
    '$id',
    'additionalProperties',
  ];
  for (const [path, node] of nodes(openApiSchema())) {
    assert.equal(typeof node.type, 'string', `${path || '<root>'} has no type`);
    for (const key of forbidden) assert.ok(!(key in node), `${path} has ${key}`);
    if ('exclusiveMinimum' in node)
      assert.equal(node.exclusiveMinimum, true, `${path}: exclusiveMinimum is a boolean`);
    if (node.type === 'array') assert.ok(node.items, `${path}: array without items`);
  }
});

test('every field has a description except metadata, which the apiserver owns', () => {
  for (const [path, node] of nodes(openApiSchema())) {
    if (path === 'metadata') {
      assert.deepEqual(Object.keys(node).sort(), ['properties', 'type']);
      assert.deepEqual(Object.keys(node.properties as Json), ['name']);
      continue;
    }
    assert.equal(typeof node.description, 'string', `${path || '<root>'} has no description`);
  }
});

test('defaulted fields are not required and literal unions are enums', () => {
  const all = new Map(nodes(openApiSchema()));
  const spec = all.get('spec')!;
  assert.deepEqual(spec.required, ['fleet', 'load', 'arms']);
  assert.deepEqual(all.get('spec.series')!.default, {});
  assert.deepEqual(all.get('spec.collection')!.default, {});
  assert.deepEqual(all.get('spec.arms.statsd.mode')!.enum, ['perEvent', 'buffered', 'aggregated']);
  assert.deepEqual(all.get('spec.scale'), {
    description: all.get('spec.scale')!.description,
    type: 'number',
    default: 1,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
  });
});

test('every cross-field rule is rendered once, where it attaches', () => {
  const all = new Map(nodes(openApiSchema()));
  let count = 0;
  for (const rule of RULES) {
    const node = all.get(rule.attach);
    assert.ok(node, `${rule.id}: no node ${rule.attach}`);
    const rendered = (node['x-kubernetes-validations'] as Json[]).filter((v) => v.rule === rule.cel);
    assert.equal(rendered.length, 1, rule.id);
    assert.equal(rendered[0]!.message, rule.message);
    assert.equal(rendered[0]!.fieldPath, rule.fieldPath);
    count++;
  }
  const total = [...all.values()].reduce(
    (n, node) => n + ((node['x-kubernetes-validations'] as Json[]) ?? []).length,
    0,
  );
  assert.equal(total, count);
});

test('CEL cost stays bounded: every list a rule iterates has maxItems, every string it compares maxLength', () => {
  const all = new Map(nodes(openApiSchema()));
  assert.equal(all.get('spec.load.phases')!.maxItems, 50);
  assert.equal(all.get('spec.load.phases[*].name')!.maxLength, 63);
});

test('status keeps unknown fields and documents the known ones', () => {
  const status = new Map(nodes(openApiSchema())).get('status')!;
  assert.equal(status['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(Object.keys(status.properties as Json), [
    'phase',
    'observedGeneration',
    'conditions',
    'verdict',
    'arms',
    'reportConfigMap',
    'startAt',
    'message',
  ]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { assertGolden } from '../../testing/golden.ts';
import { RULES } from './rules.ts';
import { renderScheduleCrd, renderScheduleCrdYaml } from './schedule-crd.ts';

test('the schedule CRD is the golden copy (UPDATE_GOLDEN=1 rewrites it)', () => {
  assertGolden(new URL('./testdata/schedule-crd.golden.yaml', import.meta.url), renderScheduleCrdYaml());
});

test('the template carries every experiment rule, so the apiserver checks it as an experiment', () => {
  const text = stringify(renderScheduleCrd(), { lineWidth: 0 });
  for (const rule of RULES) assert.ok(text.includes(rule.cel), rule.id);
  const spec = (
    renderScheduleCrd() as {
      spec: {
        versions: Array<{
          schema: {
            openAPIV3Schema: { properties: Record<string, { properties: Record<string, unknown> }> };
          };
        }>;
      };
    }
  ).spec.versions[0]!.schema.openAPIV3Schema.properties.spec!.properties;
  const template = spec.template as { properties: { spec: { 'x-kubernetes-validations': unknown[] } } };
  assert.ok(template.properties.spec['x-kubernetes-validations'].length >= 2);
  assert.ok((spec.schedule as { pattern: string }).pattern.startsWith('^'));
  assert.ok((spec.timeZone as { enum: string[] }).enum.includes('America/New_York'));
});

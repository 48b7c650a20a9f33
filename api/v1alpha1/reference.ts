/**
 * Renders docs/spec.md, the field reference of PushPullExperiment, from the one schema: every field's
 * path, type, default, allowed values and description, plus the cross-field rules. Pure; a drift test
 * (api/v1alpha1/reference.test.ts) fails when the committed docs/spec.md is stale, and
 * `UPDATE_GOLDEN=1 node --test api/v1alpha1/reference.test.ts` rewrites it.
 */

import { cell, type FieldRow, fieldRows } from '../../json-schema/field-rows.ts';
import { FIGURE_NAMES, FIGURES } from '../../report/figures.ts';
import { RULES } from './rules.ts';
import { ExperimentSpecSchema } from './schema.ts';

function defaultOf(row: FieldRow): string {
  const d = row.schema.default;
  if (d === undefined) return row.required ? '(required)' : '';
  return typeof d === 'object' ? 'defaults apply' : `\`${String(d)}\``;
}

/** The whole docs/spec.md text. */
export function renderSpecReference(): string {
  const rows = fieldRows(ExperimentSpecSchema, 'spec');
  const lines = [
    '# PushPullExperiment spec reference',
    '',
    '<!-- Generated from api/v1alpha1/schema.ts and api/v1alpha1/rules.ts by api/v1alpha1/reference.ts: do not edit by hand. -->',
    '',
    'One YAML serves both runtimes: `pushpull run FILE` locally and `kubectl apply -f FILE` with the operator.',
    'The file is a whole Kubernetes object (`apiVersion: pushpull.dev/v1alpha1`, `kind: PushPullExperiment`,',
    '`metadata.name`, `spec`). `pushpull validate FILE` and the apiserver reject the same specs; unknown fields',
    'are errors. See `examples/` for complete files.',
    '',
    '## Fields',
    '',
    '| field | type | allowed | default | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${r.type} | ${cell(r.allowed)} | ${cell(defaultOf(r))} | ${cell(r.description)} |`,
    ),
    '',
    '## Rules across fields',
    '',
    'Checked by `pushpull validate` and, as CEL `x-kubernetes-validations`, by the apiserver.',
    '',
    ...RULES.map((r) => `- \`${r.attach}${r.fieldPath ?? ''}\`: ${r.message}`),
    '',
    '## Figures `spec.expect` can name',
    '',
    "From report/figures.ts. Thresholds are in the figure's unit; ratios are fractions (0.001 is 0.1%).",
    '',
    '| figure | unit | description |',
    '| --- | --- | --- |',
    ...FIGURE_NAMES.map((name) => {
      const f = FIGURES[name];
      return `| \`${name}\` | ${f.unit} | ${cell(f.description)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

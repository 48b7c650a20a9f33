/**
 * Renders docs/spec.md, the field reference of PushPullExperiment, from the one schema: every field's
 * path, type, default, allowed values and description, plus the cross-field rules. Pure; a drift test
 * (spec/reference.test.ts) fails when the committed docs/spec.md is stale, and
 * `UPDATE_GOLDEN=1 node --test spec/reference.test.ts` rewrites it.
 */
import type { TSchema } from '@sinclair/typebox';
import { FIGURE_NAMES, FIGURES } from '../../report/figures.ts';
import { literalValues } from './describe.ts';
import { RULES } from './rules.ts';
import { ExperimentSpecSchema } from './schema.ts';

interface Row {
  path: string;
  type: string;
  allowed: string;
  defaultValue: string;
  description: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(schema: TSchema): string {
  if (literalValues(schema)) return 'string';
  if (schema.type === 'array') return 'list';
  return String(schema.type ?? 'object');
}

function allowedOf(schema: TSchema): string {
  const literals = literalValues(schema);
  if (literals) return literals.map((v) => `\`${String(v)}\``).join(', ');
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) parts.push(`${schema.minItems}+ items`);
  if (schema.maxItems !== undefined) parts.push(`≤ ${schema.maxItems} items`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} chars`);
  if (schema.pattern !== undefined && schema.format === undefined)
    parts.push(`pattern \`${schema.pattern}\``);
  if (schema.format !== undefined) parts.push(String(schema.format));
  return parts.join(', ');
}

function walk(schema: TSchema, path: string, required: boolean, rows: Row[]): void {
  if (path !== 'spec') {
    const d = schema.default;
    rows.push({
      path,
      type: typeOf(schema),
      allowed: allowedOf(schema),
      defaultValue:
        d === undefined
          ? required
            ? '(required)'
            : ''
          : typeof d === 'object'
            ? 'defaults apply'
            : `\`${String(d)}\``,
      description: String(schema.description ?? ''),
    });
  }
  if (schema.type === 'object' && schema.properties) {
    const req = new Set<string>(schema.required ?? []);
    for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
      walk(child, `${path}.${key}`, req.has(key), rows);
    }
  } else if (schema.type === 'array' && schema.items) {
    walk(schema.items as TSchema, `${path}[]`, false, rows);
  }
}

/** The whole docs/spec.md text. */
export function renderSpecReference(): string {
  const rows: Row[] = [];
  walk(ExperimentSpecSchema, 'spec', true, rows);
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
        `| \`${r.path}\` | ${r.type} | ${cell(r.allowed)} | ${cell(r.defaultValue)} | ${cell(r.description)} |`,
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

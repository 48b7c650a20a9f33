/**
 * The rows of a generated field reference: every field of a schema with its path, type, allowed values
 * and description, in schema order. Pure. api/v1alpha1/reference.ts (docs/spec.md) and
 * report/reference.ts (docs/report.md) lay the rows out as their own tables.
 */
import type { TSchema } from '@sinclair/typebox';
import { literalValues, nullableOf } from './describe.ts';

/** One field of the reference. */
export interface FieldRow {
  /** Dotted path from the root, `[]` for list items: `spec.load.phases[].name`. */
  path: string;
  schema: TSchema;
  type: string;
  allowed: string;
  /** Listed in its parent's `required`. */
  required: boolean;
  description: string;
}

/** Options of a walk. */
export interface FieldRowsOptions {
  /** Nodes documented elsewhere (a shared shape): their row is kept, their fields are not listed. */
  opaque?: (schema: TSchema) => boolean;
}

/** The type column: `string`, `list`, `number or null`, or a shared shape's title. */
export function typeOf(schema: TSchema): string {
  if (literalValues(schema)) return 'string';
  const inner = nullableOf(schema);
  if (inner) return `${typeOf(inner)} or null`;
  if (typeof schema.title === 'string') return schema.title;
  if (schema.type === 'array') {
    return Array.isArray(schema.items) ? `[${(schema.items as TSchema[]).map(typeOf).join(', ')}]` : 'list';
  }
  if (schema.type === 'object' && schema.patternProperties) return 'mapping';
  return String(schema.type ?? 'object');
}

/** The allowed column: enum values, bounds, patterns, formats. */
export function allowedOf(schema: TSchema): string {
  const literals = literalValues(schema);
  if (literals) return literals.map((v) => `\`${String(v)}\``).join(', ');
  const inner = nullableOf(schema);
  if (inner) return allowedOf(inner);
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined && !Array.isArray(schema.items)) parts.push(`${schema.minItems}+ items`);
  if (schema.maxItems !== undefined && !Array.isArray(schema.items)) parts.push(`≤ ${schema.maxItems} items`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} chars`);
  if (schema.pattern !== undefined && schema.format === undefined)
    parts.push(`pattern \`${schema.pattern}\``);
  if (schema.format !== undefined) parts.push(String(schema.format));
  return parts.join(', ');
}

/** Every field under `root` (the root itself is not a row; '' as `rootPath` starts paths at its fields), depth first in schema order. */
export function fieldRows(root: TSchema, rootPath: string, options: FieldRowsOptions = {}): FieldRow[] {
  const rows: FieldRow[] = [];
  const children = (schema: TSchema, path: string) => {
    const node = nullableOf(schema) ?? schema;
    if (node !== root && options.opaque?.(node)) return;
    if (node.type === 'object' && node.properties) {
      const required = new Set<string>(node.required ?? []);
      for (const [key, child] of Object.entries(node.properties as Record<string, TSchema>)) {
        visit(child, path ? `${path}.${key}` : key, required.has(key));
      }
    } else if (node.type === 'array' && node.items && !Array.isArray(node.items)) {
      visit(node.items as TSchema, `${path}[]`, false);
    }
  };
  const visit = (schema: TSchema, path: string, required: boolean) => {
    rows.push({
      path,
      schema,
      type: typeOf(schema),
      allowed: allowedOf(schema),
      required,
      description: String(schema.description ?? ''),
    });
    children(schema, path);
  };
  children(root, rootPath);
  return rows;
}

/** A table cell: pipes escaped, on one line. */
export const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Words for validation messages: how a value looks, what a schema node allows, and which known name a
 * misspelling was probably meant to be. Used by json-schema/walk.ts (and so by the spec's and report.json's
 * validation), the spec's cross-field rules and the generated field references.
 */
import type { TSchema } from '@sinclair/typebox';
import { QUANTITY_HINTS } from '../api/v1alpha1/quantity.ts';

/** Human hints for the regular expressions the schema uses, keyed by the pattern's source text. */
const PATTERN_HINTS: Record<string, string> = {
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$':
    "a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  '^https?://[^\\s]+$': 'an http:// or https:// URL without spaces',
  ...QUANTITY_HINTS,
};

const MAX_SHOWN = 60;

/** A value as a message shows it: JSON, shortened; strings keep their quotes so `"5"` reads as text. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return 'binary data';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** The kind of a value in the words YAML users know: "a string", "a list", "a mapping". */
export function kindOf(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** The literal values of a union of string literals (`Type.Union([Type.Literal('a'), ...])`), else undefined. */
export function literalValues(schema: TSchema): string[] | undefined {
  if (typeof schema.const === 'string') return [schema.const];
  if (!Array.isArray(schema.anyOf)) return undefined;
  const values: string[] = [];
  for (const option of schema.anyOf as TSchema[]) {
    if (typeof option.const !== 'string') return undefined;
    values.push(option.const);
  }
  return values;
}

function numberRange(schema: TSchema): string {
  const lo = schema.exclusiveMinimum ?? schema.minimum;
  const hi = schema.exclusiveMaximum ?? schema.maximum;
  const loText =
    lo === undefined
      ? undefined
      : schema.exclusiveMinimum !== undefined
        ? `greater than ${lo}`
        : `at least ${lo}`;
  const hiText =
    hi === undefined
      ? undefined
      : schema.exclusiveMaximum !== undefined
        ? `less than ${hi}`
        : `at most ${hi}`;
  if (schema.minimum !== undefined && schema.maximum !== undefined) return `from ${lo} to ${hi}`;
  if (loText && hiText) return `${loText} and ${hiText}`;
  return loText ?? hiText ?? '';
}

/** The other member of a `Type.Union([X, Type.Null()])`, else undefined. */
export function nullableOf(schema: TSchema): TSchema | undefined {
  if (!Array.isArray(schema.anyOf) || schema.anyOf.length !== 2) return undefined;
  const [a, b] = schema.anyOf as [TSchema, TSchema];
  if (b.type === 'null') return a;
  if (a.type === 'null') return b;
  return undefined;
}

/** What a schema node accepts, as a phrase: "an integer from 1 to 300", "one of grpc, http". */
export function describeAllowed(schema: TSchema): string {
  const literals = literalValues(schema);
  if (literals) return literals.length === 1 ? `exactly ${literals[0]}` : `one of ${literals.join(', ')}`;
  const inner = nullableOf(schema);
  if (inner) return `${describeAllowed(inner)}, or null`;
  if (schema.const !== undefined) return `exactly ${showValue(schema.const)}`;
  if (schema.type === 'array' && Array.isArray(schema.items)) {
    const items = (schema.items as TSchema[]).map(describeAllowed);
    return `a list of ${items.length} items: ${items.join('; ')}`;
  }
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const noun = schema.type === 'integer' ? 'an integer' : 'a number';
      const range = numberRange(schema);
      return range ? `${noun} ${range}` : noun;
    }
    case 'boolean':
      return 'true or false';
    case 'string': {
      if (schema.format === 'date-time') return 'an RFC 3339 date-time such as 2026-11-26T09:15:00Z';
      const parts: string[] = [];
      if (typeof schema.pattern === 'string') {
        parts.push(PATTERN_HINTS[schema.pattern] ?? `a string matching ${schema.pattern}`);
      } else {
        parts.push('a string');
      }
      if (typeof schema.maxLength === 'number') parts.push(`at most ${schema.maxLength} characters`);
      return parts.join(', ');
    }
    case 'array': {
      const lo = schema.minItems;
      const hi = schema.maxItems;
      if (lo !== undefined && hi !== undefined) return `a list of ${lo} to ${hi} items`;
      if (lo !== undefined) return `a list of at least ${lo} items`;
      if (hi !== undefined) return `a list of at most ${hi} items`;
      return 'a list';
    }
    case 'object': {
      if (schema.properties) return `a mapping with fields ${Object.keys(schema.properties).join(', ')}`;
      return 'a mapping of names to strings';
    }
    default:
      return 'a value';
  }
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name `name` most likely misspells, or undefined when none is close: a case-insensitive
 * match, or an edit distance of at most a third of the name's length (at least 1, at most 3).
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

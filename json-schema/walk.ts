/**
 * Walks a value against the JSON-Schema subset the project's TypeBox schemas use (objects with fixed
 * properties or string-keyed records, lists and tuples, string enums and other literals, patterns,
 * bounded numbers, booleans, `X | null`), collecting every error at once, each naming the path, the bad
 * value and what is allowed. Optionally applies the schema's defaults. One walker for the spec
 * (api/v1alpha1/validate.ts adds the cross-field rules) and for report.json (report/parse-report.ts).
 * Unknown fields are always errors; a `null` is one unless the schema allows it.
 */
import type { TSchema } from '@sinclair/typebox';
import { closestName, describeAllowed, kindOf, literalValues, nullableOf, showValue } from './describe.ts';

/** A path into the document, as segments: property names and list indexes. */
export type PathSegments = readonly (string | number)[];

/** One problem with a value. */
export interface SchemaError {
  /** Where, in dotted form: `spec.arms.pull.scrapeTimeoutSeconds`, `spec.load.phases[1].name`; '' is the document. */
  path: string;
  /** The same path as segments. */
  at: PathSegments;
  /** The offending value (undefined when a required field is missing). */
  value: unknown;
  /** A complete sentence for the user: names the path, the bad value and what is allowed. */
  message: string;
}

/** An object or list that passed its type check, with its (defaulted) value. */
export interface Visit {
  schemaPath: string;
  at: PathSegments;
  value: unknown;
}

/** What a walk found. */
export interface WalkResult {
  /** The value rebuilt in schema order, with defaults when asked for. */
  value: unknown;
  errors: SchemaError[];
  /** Every object and list that passed its type check, in walk order (for cross-field rules). */
  visits: Visit[];
}

/** Where the walk starts and whether it fills in defaults. */
export interface WalkOptions {
  /** Path of `value` in its document (error paths start with it). */
  at?: PathSegments;
  /** Schema path of the root, e.g. `spec`, as cross-field rules name their attach points. */
  schemaPath?: string;
  /** Fill in each absent property that has a `default` (the spec); off for data that is read back (a report). */
  applyDefaults: boolean;
}

interface Walk {
  applyDefaults: boolean;
  errors: SchemaError[];
  visits: Visit[];
}

/** Checks `value` against `schema`; see the module comment for what is supported. */
export function walkSchema(schema: TSchema, value: unknown, options: WalkOptions): WalkResult {
  const walk: Walk = { applyDefaults: options.applyDefaults, errors: [], visits: [] };
  const out = walkNode(schema, value, options.at ?? [], options.schemaPath ?? '', walk);
  return { value: out, errors: walk.errors, visits: walk.visits };
}

/** Dotted form of a path: identifiers joined by '.', list indexes as [n], other keys as ["a.b/c"]. */
export function formatPath(at: PathSegments): string {
  let text = '';
  for (const segment of at) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** An error at `at` whose message starts with the path. */
export function schemaError(at: PathSegments, value: unknown, detail: string): SchemaError {
  const path = formatPath(at);
  return { path, at, value, message: `${path || 'the document'}: ${detail}` };
}

function walkNode(
  schema: TSchema,
  value: unknown,
  at: PathSegments,
  schemaPath: string,
  walk: Walk,
): unknown {
  const fail = (detail: string) => {
    walk.errors.push(schemaError(at, value, detail));
    return value;
  };
  if (value === null) {
    if (nullableOf(schema)) return value;
    const hint =
      schema.type === 'object' && schema.properties ? `; write ${lastKey(at)}: {} for all defaults` : '';
    return fail(`null (an empty value) is not allowed; expected ${describeAllowed(schema)}${hint}`);
  }
  const nonNull = nullableOf(schema);
  if (nonNull) {
    const before = walk.errors.length;
    const out = walkNode(nonNull, value, at, schemaPath, walk);
    // The inner node names what it allows; null is allowed too.
    for (const error of walk.errors.slice(before)) {
      if (error.at.length === at.length) error.message += ' (or null)';
    }
    return out;
  }
  const literals = literalValues(schema);
  if (literals) {
    if (typeof value === 'string' && literals.includes(value)) return value;
    const suggestion = typeof value === 'string' ? closestName(value, literals) : undefined;
    const verb = typeof value === 'string' ? 'is not allowed' : `is ${kindOf(value)}, not a string`;
    return fail(
      `${showValue(value)} ${verb}; allowed: ${listed(literals)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    );
  }
  if (schema.const !== undefined && value !== schema.const) {
    return fail(`${showValue(value)} is not allowed; expected ${describeAllowed(schema)}`);
  }
  switch (schema.type) {
    case 'object':
      return walkObject(schema, value, at, schemaPath, walk, fail);
    case 'array':
      return walkArray(schema, value, at, schemaPath, walk, fail);
    case 'integer':
    case 'number':
      return checkNumber(schema, value, fail);
    case 'string':
      return checkString(schema, value, fail);
    case 'boolean':
      return typeof value === 'boolean' ? value : wrongType(schema, value, fail);
    default:
      throw new Error(
        `json-schema/walk.ts: schema node at ${schemaPath} has unsupported type ${String(schema.type)}`,
      );
  }
}

function lastKey(at: PathSegments): string {
  const last = at[at.length - 1];
  return typeof last === 'string' ? last : 'it';
}

function wrongType(schema: TSchema, value: unknown, fail: (detail: string) => unknown): unknown {
  const quoted =
    typeof value === 'string' &&
    (schema.type === 'number' || schema.type === 'integer' || schema.type === 'boolean') &&
    /^\s*(true|false|[-+]?\d+(\.\d+)?([eE][-+]?\d+)?)\s*$/.test(value);
  // YAML 1.1 (and so kubectl) reads yes/no/on/off as booleans; YAML 1.2, which this loader speaks, does not.
  const yaml11Boolean =
    typeof value === 'string' && schema.type === 'boolean' && /^(yes|no|on|off|y|n)$/i.test(value);
  const withUnit =
    typeof value === 'string' &&
    (schema.type === 'number' || schema.type === 'integer') &&
    /^\s*\d+(\.\d+)?\s*[a-zA-Z]+\s*$/.test(value);
  const hint = quoted
    ? ' (write it without quotes)'
    : yaml11Boolean
      ? ' (YAML 1.2 reads yes/no/on/off as text)'
      : withUnit
        ? ' (a plain number, without a unit)'
        : '';
  return fail(`${showValue(value)} is ${kindOf(value)}; expected ${describeAllowed(schema)}${hint}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function hasDefault(schema: TSchema): boolean {
  return Object.hasOwn(schema, 'default');
}

function walkObject(
  schema: TSchema,
  value: unknown,
  at: PathSegments,
  schemaPath: string,
  walk: Walk,
  fail: (detail: string) => unknown,
): unknown {
  if (!isPlainObject(value)) return wrongType(schema, value, fail);
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const known = Object.keys(properties);
  const required = new Set<string>(schema.required ?? []);
  const out: Record<string, unknown> = {};
  const childPath = (key: string) => (schemaPath ? `${schemaPath}.${key}` : key);

  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) continue;
    const entrySchema = recordValueSchema(schema);
    if (entrySchema) {
      out[key] = walkNode(entrySchema, value[key], [...at, key], `${schemaPath}[*]`, walk);
      continue;
    }
    const suggestion = closestName(key, known);
    const where = formatPath([...at, key]);
    walk.errors.push({
      path: where,
      at: [...at, key],
      value: value[key],
      message: `unknown field ${where}; known fields: ${known.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    });
  }

  for (const key of known) {
    const propertySchema = properties[key]!;
    const childAt = [...at, key];
    if (value[key] !== undefined) {
      out[key] = walkNode(propertySchema, value[key], childAt, childPath(key), walk);
    } else if (walk.applyDefaults && hasDefault(propertySchema)) {
      out[key] = walkNode(
        propertySchema,
        structuredClone(propertySchema.default),
        childAt,
        childPath(key),
        walk,
      );
    } else if (required.has(key) && !hasDefault(propertySchema)) {
      // A field with a default may be absent (a report written before the field existed): only a field
      // without one is missing.
      walk.errors.push(
        schemaError(
          childAt,
          undefined,
          `required field is missing; expected ${describeAllowed(propertySchema)}`,
        ),
      );
    }
  }

  // Unknown fields do not count: the apiserver prunes them before it checks minProperties.
  const count = known.filter((key) => value[key] !== undefined).length;
  if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
    const has = count === 0 ? 'none' : `only ${count}`;
    fail(`${showValue(value)} has ${has} of ${known.join(', ')}; allowed: at least ${schema.minProperties}`);
  }
  walk.visits.push({ schemaPath, at, value: out });
  return out;
}

/** The value schema of a `Type.Record(Type.String(), X)` (TypeBox renders it as patternProperties). */
function recordValueSchema(schema: TSchema): TSchema | undefined {
  const patterns = schema.patternProperties as Record<string, TSchema> | undefined;
  if (!patterns) return undefined;
  const entries = Object.values(patterns);
  return entries.length === 1 ? entries[0] : undefined;
}

function walkArray(
  schema: TSchema,
  value: unknown,
  at: PathSegments,
  schemaPath: string,
  walk: Walk,
  fail: (detail: string) => unknown,
): unknown {
  if (!Array.isArray(value)) return wrongType(schema, value, fail);
  const items = schema.items as TSchema | TSchema[];
  // A tuple (`Type.Tuple`) lists one schema per position; its length is checked as minItems/maxItems.
  const itemSchema = (i: number) => (Array.isArray(items) ? items[i] : items);
  const out = value.map((item, i) => {
    const s = itemSchema(i);
    return s ? walkNode(s, item, [...at, i], `${schemaPath}[*]`, walk) : item;
  });
  const tooFew = typeof schema.minItems === 'number' && value.length < schema.minItems;
  const tooMany = typeof schema.maxItems === 'number' && value.length > schema.maxItems;
  if (tooFew || tooMany) {
    const count = value.length === 0 ? 'an empty list' : `a list of ${value.length} items`;
    walk.errors.push(schemaError(at, value, `${count} is not allowed; expected ${describeAllowed(schema)}`));
  }
  walk.visits.push({ schemaPath, at, value: out });
  return out;
}

function checkNumber(schema: TSchema, value: unknown, fail: (detail: string) => unknown): unknown {
  if (typeof value !== 'number') return wrongType(schema, value, fail);
  const allowed = describeAllowed(schema);
  if (!Number.isFinite(value)) return fail(`${showValue(value)} is not a finite number; allowed: ${allowed}`);
  if (schema.type === 'integer' && !Number.isInteger(value)) {
    return fail(`${showValue(value)} is not an integer; allowed: ${allowed}`);
  }
  const below =
    (typeof schema.minimum === 'number' && value < schema.minimum) ||
    (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum);
  const above =
    (typeof schema.maximum === 'number' && value > schema.maximum) ||
    (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum);
  if (below) return fail(`${showValue(value)} is too small; allowed: ${allowed}`);
  if (above) return fail(`${showValue(value)} is too large; allowed: ${allowed}`);
  return value;
}

function checkString(schema: TSchema, value: unknown, fail: (detail: string) => unknown): unknown {
  if (typeof value !== 'string') return wrongType(schema, value, fail);
  const allowed = describeAllowed(schema);
  // Kubernetes counts characters (Unicode code points), not UTF-16 units.
  const length = [...value].length;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    return fail(`${showValue(value)} is ${length} characters long; allowed: ${allowed}`);
  }
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    return fail(`${showValue(value)} is ${length} characters long; allowed: ${allowed}`);
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    return fail(`${showValue(value)} is not allowed; allowed: ${allowed}`);
  }
  if (schema.format === 'date-time' && !isDateTime(value)) {
    return fail(`${showValue(value)} is not a valid date-time; allowed: ${allowed}`);
  }
  return value;
}

/** RFC 3339 date-time with real calendar fields, as Go's time.Parse (the apiserver's check) requires. */
function isDateTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(
    text,
  );
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return true;
}

/** Enumerations longer than this are summed up in a message (the IANA time zones), not printed whole. */
const MAX_LISTED = 40;

function listed(literals: readonly string[]): string {
  return literals.length > MAX_LISTED
    ? `one of ${literals.length} values such as ${literals.slice(0, 3).join(', ')}`
    : literals.join(', ');
}

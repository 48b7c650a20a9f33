/**
 * Validates a PushPullExperiment (the whole document or a bare `.spec`) against api/v1alpha1/schema.ts and the
 * cross-field rules of api/v1alpha1/rules.ts, and applies the schema's defaults. It walks the JSON-Schema subset
 * the schema uses by itself (rather than a generic validator) so that it reports every error at once,
 * each naming the path, the bad value and what is allowed, and so that it enforces exactly what the
 * CRD's structural schema enforces at `kubectl apply` (api/v1alpha1/crd.ts renders that from the same source).
 * Called by api/v1alpha1/load.ts (files), the local runtime and the operator (objects from the API).
 *
 * One deliberate difference from the apiserver: a `null` value (an empty YAML value such as `pull:`)
 * is an error here, where the apiserver silently prunes it; `pull:` meaning "no pull arm" is a trap.
 */
import type { TSchema } from '@sinclair/typebox';
import { closestName, describeAllowed, kindOf, literalValues, showValue } from './describe.ts';
import { type CrossFieldRule, RULES } from './rules.ts';
import {
  type ExperimentDocument,
  ExperimentDocumentSchema,
  type ExperimentSpec,
  ExperimentSpecSchema,
} from './schema.ts';

/** Enumerations longer than this are not listed in full in a message. */
const MAX_LISTED = 40;

/** A path into the document, as segments: property names and list indexes. */
export type PathSegments = readonly (string | number)[];

/** One problem with a spec. */
export interface SpecError {
  /** Where, in dotted form: `spec.arms.pull.scrapeTimeoutSeconds`, `spec.load.phases[1].name`; '' is the document. */
  path: string;
  /** The same path as segments (for locating it in the YAML source). */
  at: PathSegments;
  /** The offending value (undefined when a required field is missing). */
  value: unknown;
  /** A complete sentence for the user: names the path, the bad value and what is allowed. */
  message: string;
  /** The file (or other source name) the spec came from, with the 1-based position (set by api/v1alpha1/load.ts). */
  source?: string;
  line?: number;
  column?: number;
}

/**
 * One line for a user, compiler style: `examples/quick.yaml:12:7: spec.arms.statsd.mode: ...`; just
 * the message when the error has no source.
 */
export function formatSpecError(error: SpecError): string {
  if (error.source === undefined) return error.message;
  if (error.line === undefined) return `${error.source}: ${error.message}`;
  return `${error.source}:${error.line}:${error.column ?? 1}: ${error.message}`;
}

export type ValidateResult<T> = { ok: true; document: T } | { ok: false; errors: SpecError[] };

/** Validates a whole PushPullExperiment object and returns it with every default applied. */
export function validateDocument(value: unknown): ValidateResult<ExperimentDocument> {
  const result = validateAt(ExperimentDocumentSchema, value, [], '');
  return result.errors.length === 0
    ? { ok: true, document: result.value as ExperimentDocument }
    : { ok: false, errors: result.errors };
}

/** Validates a bare `.spec` (paths still start with `spec.`) and returns it with every default applied. */
export function validateSpec(
  value: unknown,
): { ok: true; spec: ExperimentSpec } | { ok: false; errors: SpecError[] } {
  const result = validateAt(ExperimentSpecSchema, value, ['spec'], 'spec');
  return result.errors.length === 0
    ? { ok: true, spec: result.value as ExperimentSpec }
    : { ok: false, errors: result.errors };
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

interface Visit {
  schemaPath: string;
  at: PathSegments;
  value: unknown;
}

interface Walk {
  errors: SpecError[];
  /** Objects and lists that passed their type check, with their defaulted values, for the rules. */
  visits: Visit[];
}

/**
 * Validates `value` against `schema` at `at`, applying defaults, then runs the experiment's cross-field
 * rules on the experiment spec found at `specRoot` (the schema path of an ExperimentSpec: `spec` in an
 * experiment, `spec.template.spec` in a schedule). Every error is returned at once.
 */
export function validateAt(
  schema: TSchema,
  value: unknown,
  at: PathSegments,
  schemaPath: string,
  specRoot = 'spec',
): { value: unknown; errors: SpecError[] } {
  const walk: Walk = { errors: [], visits: [] };
  const out = walkNode(schema, value, at, schemaPath, walk);
  const schemaErrors = walk.errors.slice();
  for (const visit of walk.visits) {
    const rulePath = ruleAttachPath(visit.schemaPath, specRoot);
    for (const rule of RULES) {
      if (rule.attach !== rulePath) continue;
      if (readsHaveErrors(rule, visit.at, schemaErrors)) continue;
      for (const violation of rule.check(visit.value)) {
        const where = [...visit.at, ...violation.at];
        walk.errors.push(specError(where, violation.value, violation.detail));
      }
    }
  }
  return { value: out, errors: walk.errors };
}

/** A schema path below `specRoot` as the rules name it (rooted at `spec`); undefined outside it. */
export function ruleAttachPath(schemaPath: string, specRoot: string): string | undefined {
  if (schemaPath === specRoot) return 'spec';
  const rest = schemaPath.slice(specRoot.length);
  return schemaPath.startsWith(specRoot) && (rest.startsWith('.') || rest.startsWith('['))
    ? `spec${rest}`
    : undefined;
}

function readsHaveErrors(rule: CrossFieldRule, nodeAt: PathSegments, errors: SpecError[]): boolean {
  for (const error of errors) {
    if (!startsWith(error.at, nodeAt)) continue;
    const rel = error.at.slice(nodeAt.length);
    if (rule.reads.length === 0) return true;
    for (const read of rule.reads) {
      // Blocked when the error is on the read field, inside it, or on an object that contains it.
      const n = Math.min(rel.length, read.length);
      let overlaps = true;
      for (let i = 0; i < n; i++) {
        if (read[i] !== '*' && read[i] !== rel[i]) overlaps = false;
      }
      if (overlaps) return true;
    }
  }
  return false;
}

function startsWith(path: PathSegments, prefix: PathSegments): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

/** A SpecError at `at` whose message starts with the dotted path. */
export function specError(at: PathSegments, value: unknown, detail: string): SpecError {
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
    walk.errors.push(specError(at, value, detail));
    return value;
  };
  if (value === null) {
    const hint =
      schema.type === 'object' && schema.properties ? `; write ${lastKey(at)}: {} for all defaults` : '';
    return fail(`null (an empty value) is not allowed; expected ${describeAllowed(schema)}${hint}`);
  }
  const literals = literalValues(schema);
  if (literals) {
    if (typeof value === 'string' && literals.includes(value)) return value;
    const suggestion = typeof value === 'string' ? closestName(value, literals) : undefined;
    const verb = typeof value === 'string' ? 'is not allowed' : `is ${kindOf(value)}, not a string`;
    // A long list (the IANA time zones) is summed up rather than printed whole.
    const allowed =
      literals.length > MAX_LISTED
        ? `one of ${literals.length} values such as ${literals.slice(0, 3).join(', ')}`
        : literals.join(', ');
    return fail(
      `${showValue(value)} ${verb}; allowed: ${allowed}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    );
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
        `api/v1alpha1/validate.ts: schema node at ${schemaPath} has unsupported type ${String(schema.type)}`,
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
    } else if (hasDefault(propertySchema)) {
      out[key] = walkNode(
        propertySchema,
        structuredClone(propertySchema.default),
        childAt,
        childPath(key),
        walk,
      );
    } else if (required.has(key)) {
      walk.errors.push(
        specError(
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
  const items = schema.items as TSchema;
  const out = value.map((item, i) => walkNode(items, item, [...at, i], `${schemaPath}[*]`, walk));
  const tooFew = typeof schema.minItems === 'number' && value.length < schema.minItems;
  const tooMany = typeof schema.maxItems === 'number' && value.length > schema.maxItems;
  if (tooFew || tooMany) {
    const count = value.length === 0 ? 'an empty list' : `a list of ${value.length} items`;
    walk.errors.push(specError(at, value, `${count} is not allowed; expected ${describeAllowed(schema)}`));
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

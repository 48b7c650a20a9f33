/**
 * Validates a PushPullExperiment (the whole document or a bare `.spec`) against api/v1alpha1/schema.ts and the
 * cross-field rules of api/v1alpha1/rules.ts, and applies the schema's defaults. It walks the JSON-Schema subset
 * the schema uses with the project's own walker (json-schema/walk.ts, not a generic validator) so that it
 * reports every error at once,
 * each naming the path, the bad value and what is allowed, and so that it enforces exactly what the
 * CRD's structural schema enforces at `kubectl apply` (api/v1alpha1/crd.ts renders that from the same source).
 * Called by api/v1alpha1/load.ts (files), the local runtime and the operator (objects from the API).
 *
 * One deliberate difference from the apiserver: a `null` value (an empty YAML value such as `pull:`)
 * is an error here, where the apiserver silently prunes it; `pull:` meaning "no pull arm" is a trap.
 */
import type { TSchema } from '@sinclair/typebox';
import {
  formatPath,
  type PathSegments,
  type SchemaError,
  schemaError,
  walkSchema,
} from '../../json-schema/walk.ts';
import { type CrossFieldRule, RULES } from './rules.ts';
import {
  type ExperimentDocument,
  ExperimentDocumentSchema,
  type ExperimentSpec,
  ExperimentSpecSchema,
} from './schema.ts';

export { formatPath, type PathSegments };

/** One problem with a spec; `at` locates it in the YAML source. */
export interface SpecError extends SchemaError {
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
  const walk = walkSchema(schema, value, { at, schemaPath, applyDefaults: true });
  const errors: SpecError[] = walk.errors.slice();
  for (const visit of walk.visits) {
    const rulePath = ruleAttachPath(visit.schemaPath, specRoot);
    for (const rule of RULES) {
      if (rule.attach !== rulePath) continue;
      if (readsHaveErrors(rule, visit.at, walk.errors)) continue;
      for (const violation of rule.check(visit.value)) {
        const where = [...visit.at, ...violation.at];
        errors.push(schemaError(where, violation.value, violation.detail));
      }
    }
  }
  return { value: walk.value, errors };
}

/** A schema path below `specRoot` as the rules name it (rooted at `spec`); undefined outside it. */
export function ruleAttachPath(schemaPath: string, specRoot: string): string | undefined {
  if (schemaPath === specRoot) return 'spec';
  const rest = schemaPath.slice(specRoot.length);
  return schemaPath.startsWith(specRoot) && (rest.startsWith('.') || rest.startsWith('['))
    ? `spec${rest}`
    : undefined;
}

/** A SpecError at `at` whose message starts with the dotted path. */
export function specError(at: PathSegments, value: unknown, detail: string): SpecError {
  return schemaError(at, value, detail);
}

function readsHaveErrors(rule: CrossFieldRule, nodeAt: PathSegments, errors: SchemaError[]): boolean {
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

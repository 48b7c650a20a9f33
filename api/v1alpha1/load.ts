/**
 * Reads a PushPullExperiment from YAML: one document in the full Kubernetes object form
 * (apiVersion/kind/metadata/spec), so the same file serves `pushpull run` and `kubectl apply`.
 * YAML syntax errors and validation errors alike carry the file's line and column. Called by
 * `pushpull validate`, `pushpull run` and anything else that takes a spec file.
 */
import { readFile } from 'node:fs/promises';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import type { ExperimentDocument } from './schema.ts';
import { type PathSegments, type SpecError, type ValidateResult, validateDocument } from './validate.ts';

/** A file that could not be read at all (missing, a directory, no permission): not a spec verdict. */
export class SpecFileUnreadableError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`cannot read ${path}: ${reason}`);
    this.name = 'SpecFileUnreadableError';
    this.path = path;
  }
}

const READ_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory; name a YAML file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Reads, parses and validates a spec file: an experiment, or another kind with its `validate` (e.g.
 * api/v1alpha1/validate-schedule.ts). Rejects with `SpecFileUnreadableError` only when the file cannot
 * be read; everything wrong inside it comes back as errors. (The experiment overload comes last, so
 * `ReturnType<typeof loadSpecFile>` is the experiment's.)
 */
export async function loadSpecFile<T>(
  path: string,
  validate: (value: unknown) => ValidateResult<T>,
): Promise<ValidateResult<T>>;
export async function loadSpecFile(path: string): Promise<ValidateResult<ExperimentDocument>>;
export async function loadSpecFile(
  path: string,
  validate: (value: unknown) => ValidateResult<unknown> = validateDocument,
): Promise<ValidateResult<unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new SpecFileUnreadableError(path, READ_REASONS[code] ?? (code || String(err)));
  }
  return parseSpecText(text, path, validate);
}

/**
 * Parses and validates spec YAML. Every error carries `source` (= `sourceName`) and, where known, its
 * line and column; `formatSpecError` (api/v1alpha1/validate.ts) prints it as `file:line:column: message`.
 */
export function parseSpecText<T>(
  text: string,
  sourceName: string,
  validate: (value: unknown) => ValidateResult<T>,
): ValidateResult<T>;
export function parseSpecText(text: string, sourceName: string): ValidateResult<ExperimentDocument>;
export function parseSpecText(
  text: string,
  sourceName: string,
  validate: (value: unknown) => ValidateResult<unknown> = validateDocument,
): ValidateResult<unknown> {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const docs = (Array.isArray(documents) ? documents : [documents]) as Document.Parsed[];
  const position = (offset: number) => lineCounter.linePos(offset);

  const syntaxErrors: SpecError[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const { line, col } = position(error.pos[0]);
      syntaxErrors.push({
        path: '',
        at: [],
        value: undefined,
        message: `YAML syntax error: ${firstLine(error.message)}`,
        source: sourceName,
        line,
        column: col,
      });
    }
  }
  if (syntaxErrors.length > 0) return { ok: false, errors: syntaxErrors };

  // Empty documents (a stray '---', a file of comments) are skipped, as kubectl does.
  const nonEmpty = docs.filter(
    (doc) => doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null),
  );
  if (nonEmpty.length === 0) {
    return fileError(sourceName, 'the file holds no YAML document; expected one PushPullExperiment', 1, 1);
  }
  if (nonEmpty.length > 1) {
    const { line, col } = position(nonEmpty[1]!.range[0]);
    return fileError(
      sourceName,
      `the file holds ${nonEmpty.length} YAML documents (the second starts here); put exactly one PushPullExperiment in a file`,
      line,
      col,
    );
  }
  const doc = nonEmpty[0]!;
  const value: unknown = doc.toJS({ maxAliasCount: 100 });

  const bare = bareSpecHint(value);
  if (bare) return fileError(sourceName, bare, 1, 1);

  const result = validate(value);
  if (result.ok) return result;
  const located = result.errors.map((error): SpecError => {
    // An unknown field points at its key; anything else at its value when that is a scalar.
    const offset = locate(doc, error.at, error.message.startsWith('unknown field'));
    if (offset === undefined) return { ...error, source: sourceName };
    const { line, col } = position(offset);
    return { ...error, source: sourceName, line, column: col };
  });
  // In file order, as a compiler lists them (the sort is stable for errors on the same spot).
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, errors: located };
}

function fileError(
  source: string,
  message: string,
  line: number,
  column: number,
): { ok: false; errors: SpecError[] } {
  return { ok: false, errors: [{ path: '', at: [], value: undefined, message, source, line, column }] };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** A clearer message for a file that holds only the `.spec` part. */
function bareSpecHint(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.includes('apiVersion') || keys.includes('kind') || keys.includes('spec')) return undefined;
  if (!keys.includes('load') && !keys.includes('arms') && !keys.includes('fleet')) return undefined;
  return 'this looks like a bare spec; write the full object: apiVersion: pushpull.dev/v1alpha1, kind: PushPullExperiment, metadata: {name: ...}, and the fields under spec:';
}

/**
 * Source offset for a path: a scalar value itself when the whole path exists, else the key of the
 * deepest field on the path that exists (so an unknown field points at its key and a missing field at
 * its parent's), or the list item.
 */
function locate(doc: Document.Parsed, at: PathSegments, atKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  let resolved = 0;
  for (const segment of at) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
    resolved++;
  }
  if (!atKey && resolved === at.length && isScalar(node)) return rangeStart(node) ?? offset;
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

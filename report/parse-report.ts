/**
 * Reads the text of a report.json into a `Report`, checking its schema version and the fields the
 * renderers and `pushpull compare` rely on. Pure (text in, Report or error out); the CLI reads the file.
 * Errors name the file, the field path, the bad value and what is allowed.
 */
import { REPORT_SCHEMA_VERSION, type Report } from './types.ts';

/** A report.json that cannot be used; the message is meant for the user as is. */
export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

type Kind = 'object' | 'array' | 'string';

/** Field paths every report.json must have, and their JSON kinds. */
const REQUIRED: Array<[string, Kind]> = [
  ['experiment', 'object'],
  ['experiment.name', 'string'],
  ['experiment.spec', 'object'],
  ['experiment.spec.arms', 'object'],
  ['experiment.spec.load', 'object'],
  ['run', 'object'],
  ['run.startedAt', 'string'],
  ['run.finishedAt', 'string'],
  ['run.outcome', 'string'],
  ['run.missing', 'array'],
  ['machine', 'object'],
  ['tools', 'object'],
  ['phases', 'array'],
  ['arms', 'object'],
  ['rig', 'object'],
  ['signals', 'array'],
  ['verdict', 'object'],
  ['verdict.answer', 'string'],
  ['verdict.sentence', 'string'],
  ['verdict.evidence', 'array'],
  ['charts', 'array'],
];

const ANSWERS = ['push-easier', 'push-harder', 'the-same', 'inconclusive'];

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function at(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Parses report.json text; `label` (usually the file path) starts every error message. */
export function parseReport(text: string, label: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportFormatError(`${label}: not valid JSON (${(err as Error).message})`);
  }
  if (kindOf(data) !== 'object') {
    throw new ReportFormatError(`${label}: a report.json is a JSON object, this is ${kindOf(data)}`);
  }
  const version = at(data, 'schemaVersion');
  if (version === undefined) {
    throw new ReportFormatError(
      `${label}: field "schemaVersion" is missing: this is not a pushpull report.json (this pushpull reads schemaVersion ${REPORT_SCHEMA_VERSION})`,
    );
  }
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new ReportFormatError(
      `${label}: schemaVersion ${JSON.stringify(version)} is not supported: this pushpull reads schemaVersion ${REPORT_SCHEMA_VERSION}; use the pushpull version that wrote the report`,
    );
  }
  for (const [path, kind] of REQUIRED) {
    const v = at(data, path);
    if (kindOf(v) !== kind) {
      throw new ReportFormatError(
        v === undefined
          ? `${label}: field "${path}" is missing (a report.json has it as a${kind === 'object' || kind === 'array' ? 'n' : ''} ${kind})`
          : `${label}: field "${path}" is ${kindOf(v)} ${JSON.stringify(v)?.slice(0, 60)}, expected ${kind}`,
      );
    }
  }
  const answer = at(data, 'verdict.answer');
  if (!ANSWERS.includes(answer as string)) {
    throw new ReportFormatError(
      `${label}: field "verdict.answer" is ${JSON.stringify(answer)}; allowed: ${ANSWERS.join(', ')}`,
    );
  }
  return data as Report;
}

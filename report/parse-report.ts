/**
 * Reads the text of a report.json into a `Report`: its schema version first, then every field against
 * the one schema (report/schema.ts) with json-schema/walk.ts, the walker the spec uses. Pure (text in,
 * Report or error out); `pushpull report`, `pushpull compare` and the operator's ConfigMap reader call it.
 * Errors name the file, the field path, the bad value and what is allowed.
 */
import { walkSchema } from '../json-schema/walk.ts';
import { REPORT_SCHEMA_VERSION, type Report, ReportSchema } from './schema.ts';

/** A report.json that cannot be used; the message is meant for the user as is. */
export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

/** Errors past this many are counted, not listed. */
const MAX_LISTED = 10;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Parses report.json text; `label` (usually the file path) starts every error line. */
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
  const version = (data as Record<string, unknown>).schemaVersion;
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
  const { errors } = walkSchema(ReportSchema, data, { applyDefaults: false });
  if (errors.length > 0) {
    const lines = errors.slice(0, MAX_LISTED).map((e) => `${label}: ${e.message}`);
    if (errors.length > MAX_LISTED) lines.push(`${label}: and ${errors.length - MAX_LISTED} more problems`);
    throw new ReportFormatError(lines.join('\n'));
  }
  // The text as written, not the walker's copy: key order and every value stay as they were.
  return data as Report;
}

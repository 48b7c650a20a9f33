/**
 * Renders docs/report.md, the field reference of report.json, from the one schema (report/schema.ts),
 * the chart contract (report/chart-ids.ts) and the signal kinds (report/signal-kinds.ts). Pure; the
 * drift test report/reference.test.ts fails when the committed docs/report.md is stale, and
 * `UPDATE_GOLDEN=1 npx node --test report/reference.test.ts` rewrites it.
 */
import type { TSchema } from '@sinclair/typebox';
import { cell, type FieldRow, fieldRows } from '../json-schema/field-rows.ts';
import { CHARTS } from './chart-ids.ts';
import {
  FailureSignalSchema,
  FigureSchema,
  REPORT_SCHEMA_VERSION,
  ReportSchema,
  SIGNAL_KINDS,
} from './schema.ts';
import { FAILURE_KINDS, KIND_LABELS, OPERATOR_VIEW_SHORT, RIG_KINDS, WARNING_KINDS } from './signal-kinds.ts';

/** Shapes with a title (Figure, FailureSignal, the spec) are documented once, not at every use. */
const opaque = (schema: TSchema) => typeof schema.title === 'string';

/** The rows of the three field tables: report.json, Figure, FailureSignal. */
export function reportFieldTables(): Record<'report' | 'figure' | 'signal', FieldRow[]> {
  return {
    report: fieldRows(ReportSchema, '', { opaque }),
    figure: fieldRows(FigureSchema, 'Figure'),
    signal: fieldRows(FailureSignalSchema, 'FailureSignal'),
  };
}

function table(rows: FieldRow[]): string[] {
  return [
    '| field | type | allowed | required | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${r.type} | ${cell(r.allowed)} | ${r.path.endsWith('[]') ? '' : r.required ? 'yes' : 'no'} | ${cell(r.description)} |`,
    ),
  ];
}

function role(kind: (typeof SIGNAL_KINDS)[number]): string {
  if (FAILURE_KINDS.has(kind)) return 'failure (lost or delayed data)';
  if (WARNING_KINDS.has(kind)) return 'warning';
  if (RIG_KINDS.has(kind)) return 'rig';
  return '';
}

/** The whole docs/report.md text. */
export function renderReportReference(): string {
  const chartRows = CHARTS.flatMap((c) =>
    c.series.map((s) => {
      const when =
        c.needs === null ? 'always' : c.needs === 'optional' ? 'when it has data' : `with ${c.needs}`;
      return `| \`${s.id}\` | ${cell(c.title)} (\`chart-${c.key}\`) | ${when} | ${s.required ? 'yes' : 'no'} |`;
    }),
  );
  const tables = reportFieldTables();
  const lines = [
    '# report.json reference',
    '',
    '<!-- Generated from report/schema.ts, report/chart-ids.ts and report/signal-kinds.ts by report/reference.ts: do not edit by hand. -->',
    '',
    `report.json is the record of a run (schemaVersion ${REPORT_SCHEMA_VERSION}), local or in a cluster; report.md,`,
    'report.html, the CR status summary and `pushpull compare` are rendered from it. Every number is a `Figure`',
    'that names its source; a figure the rig could not obtain has `value: null` and says why in `missing`.',
    '`pushpull report` and `pushpull compare` check a report.json against this schema and name the field, the',
    'value and what is allowed when it does not fit; unknown fields are errors. A change that an older reader',
    'could not read bumps `schemaVersion`.',
    '',
    '## Fields',
    '',
    ...table(tables.report),
    '',
    '## Figure',
    '',
    'Every figure field above has this shape.',
    '',
    ...table(tables.figure),
    '',
    '## FailureSignal',
    '',
    'The shape of `signals[]` and `verdict.firstFailure`.',
    '',
    ...table(tables.signal),
    '',
    '### Signal kinds',
    '',
    "| kind | what it is | role in the verdict | could the arm's operator see it |",
    '| --- | --- | --- | --- |',
    ...SIGNAL_KINDS.map(
      (k) => `| \`${k}\` | ${cell(KIND_LABELS[k])} | ${role(k)} | ${cell(OPERATOR_VIEW_SHORT[k])} |`,
    ),
    '',
    '## Chart series',
    '',
    'The series ids report.html draws (`charts[].id`). A required series the rig could not obtain is still',
    'emitted with `points: []` and `missing` saying why; report.html prints "no data: <missing>" in its place.',
    '',
    '| id | chart | drawn | required |',
    '| --- | --- | --- | --- |',
    ...chartRows,
    '',
    '## Goldens from recorded runs',
    '',
    'The report goldens (`report/testdata/<case>.golden.json`, `.golden.md`, `.golden.html`) are made in the tests from',
    '`report/testdata/<case>.input.json`, a MeasurementInput recorded by a real run, through the same',
    '`assembleReport` the runtimes call. `pushpull run` writes that input as `measurement-input.json` beside',
    'report.json. To record a case again: `npx pushpull run local/scenarios/<case>/experiment.yaml --out DIR`,',
    'copy `DIR/measurement-input.json` to `report/testdata/<case>.input.json`, then',
    '`UPDATE_GOLDEN=1 npx node --test report/*.test.ts` and review the diff. Two cases need a hand on the run,',
    'as their scenario tests do: `interrupted` got SIGINT 10 s into its load, `producer-killed` a SIGKILL of',
    'producer pull/1 (its pid is in the `producer pull/1 ready` line) 3 s into it. In `short-lived-jobs` the',
    'queries name their Prometheus by its loopback URL: replace `@ http://127.0.0.1:<port>` with `@ the subject',
    'Prometheus` / `@ the rig Prometheus` (report.html names no URL).',
    '',
  ];
  return lines.join('\n');
}

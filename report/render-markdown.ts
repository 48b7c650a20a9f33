/**
 * report.md: the report as Markdown to paste into a postmortem or a design review. The verdict
 * sentence comes first, with what it answers for (report/verdict-scope.ts), then its evidence, the failure timeline, each arm's figures with their
 * sources, the books, rig health, what is missing, tools, machine and the spec. Pure; called by the
 * run and by `pushpull report`.
 */
import { ANSWER_LABELS, ARM_LABELS, escapeMdCell } from './format.ts';
import { buildSections, type Cell, type Section, type Table } from './sections.ts';
import type { Report } from './types.ts';
import { verdictScope } from './verdict-scope.ts';

/** Renders report.json as Markdown. Deterministic: the same report gives the same text. */
export function renderMarkdown(report: Report): string {
  const v = report.verdict;
  const lines: string[] = [];
  lines.push(`# pushpull report: ${escapeInline(report.experiment.name)}`, '');
  lines.push(
    `**Verdict: ${ANSWER_LABELS[v.answer]}.** ${escapeInline(v.sentence)} ${escapeInline(verdictScope(report))}`,
    '',
  );
  if (report.liveness) lines.push(`**Game day.** ${escapeInline(report.liveness.sentence)}`, '');
  const per = Object.entries(v.perPushArm);
  if (per.length > 0) {
    lines.push(
      `Per push arm, against pull: ${per.map(([arm, a]) => `${ARM_LABELS[arm as 'statsd' | 'otlp']}: ${ANSWER_LABELS[a]}`).join(' · ')}`,
      '',
    );
  }
  lines.push('## Evidence', '');
  if (v.evidence.length === 0) lines.push('No evidence lines in this report.');
  for (const e of v.evidence) lines.push(`- ${evidenceLine(e)}`);
  lines.push('');
  for (const s of buildSections(report)) lines.push(...renderSection(s));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function renderSection(s: Section): string[] {
  const out = [`## ${s.title}`, ''];
  for (const n of s.notes) out.push(escapeInline(n), '');
  for (const c of s.callouts)
    out.push(c.tone === 'bad' ? `**${escapeInline(c.text)}**` : escapeInline(c.text), '');
  for (const item of s.list) out.push(`- ${escapeInline(item)}`);
  if (s.list.length > 0) out.push('');
  for (const t of s.tables) out.push(...renderTable(t), '');
  if (s.details) {
    out.push(
      '<details>',
      `<summary>${escapeInline(s.details.summary)}</summary>`,
      '',
      '```json',
      s.details.code,
      '```',
      '',
      '</details>',
      '',
    );
  }
  return out;
}

function renderTable(t: Table): string[] {
  const out: string[] = [];
  if (t.caption) out.push(`**${escapeInline(t.caption)}**`, '');
  out.push(`| ${t.head.map((h) => escapeMdCell(h) || ' ').join(' | ')} |`);
  out.push(`|${t.head.map(() => ' --- ').join('|')}|`);
  for (const row of t.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
  return out;
}

function cell(c: Cell): string {
  if (typeof c === 'string') return escapeMdCell(escapeInline(c));
  if ('code' in c) return code(c.code);
  return c.tone === 'bad' ? `**${escapeMdCell(escapeInline(c.text))}**` : escapeMdCell(escapeInline(c.text));
}

/** An inline code span that survives backticks and pipes in the text. */
function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const fence = flat.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${flat}${fence === '``' ? ' ' : ''}${fence}`;
}

/** An evidence line with its trailing "(source: ...)" set in code. */
function evidenceLine(line: string): string {
  const m = /^(.*) \(source: (.*)\)$/s.exec(line);
  return m ? `${escapeInline(m[1]!)} (source: ${code(m[2]!)})` : escapeInline(line);
}

/** Keeps report text from being read as Markdown or HTML markup (intraword _ is safe in GFM). */
function escapeInline(text: string): string {
  return text.replace(/[\\`*<>[\]]/g, (c) => `\\${c}`);
}

/**
 * One entry point for every rendering of a report: Markdown, HTML or the JSON itself. Called by
 * `pushpull report` (any source: a file, a run directory, later a ConfigMap) and by the run.
 */
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import type { Report } from './types.ts';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file name a run directory uses for each format. */
export const REPORT_FILE_NAMES: Record<ReportFormat, string> = {
  md: 'report.md',
  html: 'report.html',
  json: 'report.json',
};

/** Renders `report` in `format`. Pure and deterministic. */
export function renderReport(report: Report, format: ReportFormat): string {
  if (format === 'md') return renderMarkdown(report);
  if (format === 'html') return renderHtml(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The format a file name implies (.md, .markdown, .html, .htm, .json), or null. */
export function formatFromFileName(name: string): ReportFormat | null {
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'json') return 'json';
  return null;
}

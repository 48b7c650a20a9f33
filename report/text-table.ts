/**
 * A plain-text table for a terminal: columns padded to their widest cell (capped), two spaces apart.
 * Used by `pushpull compare` (report/compare.ts) and the trend (report/trend.ts). Pure.
 */

/** The header, a rule and the rows, one line each (no trailing newline). */
export function renderTextTable(
  head: readonly string[],
  body: readonly string[][],
  maxWidth: number,
): string[] {
  const widths = head.map((h, i) =>
    Math.min(maxWidth, Math.max(h.length, ...body.map((row) => row[i]!.length))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

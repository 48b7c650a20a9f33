/**
 * Plain-text tables and number formats for the bench's output: columns padded to their widest cell, text
 * left-aligned and numbers right-aligned, a dashed rule under the header. Pure; called by bench/render.ts.
 */

export type Align = 'left' | 'right';

/** A table: a header row, body rows, and per-column alignment (default left). */
export interface TableSpec {
  header: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  align?: readonly Align[];
}

/** Renders a table as lines, columns separated by two spaces, no trailing blanks. */
export function formatTable(t: TableSpec): string[] {
  const columns = Math.max(t.header.length, ...t.rows.map((r) => r.length));
  const cell = (row: readonly string[], i: number) => row[i] ?? '';
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max([...cell(t.header, i)].length, ...t.rows.map((r) => [...cell(r, i)].length)),
  );
  const line = (row: readonly string[]) =>
    widths
      .map((w, i) => {
        const text = cell(row, i);
        const pad = ' '.repeat(w - [...text].length);
        return t.align?.[i] === 'right' ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)];
}

/** Three significant digits, plain notation: 0.000412, 0.412, 4.12, 41.2, 412; whole numbers from 100 up. */
export function formatSig3(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 99.95) return String(Math.round(x));
  // Round first, so 99.99 becomes 100 (not "100.0") before the decimals are chosen.
  const rounded = Number(x.toPrecision(3));
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toFixed(Math.min(digits, 6));
}

/** A per-event cost in microseconds, or `-` when missing. */
export function formatMicros(us: number | null): string {
  return us === null ? '-' : formatSig3(us);
}

/** A count with thousands separators: 1,234,567. */
export function formatCount(n: number | null): string {
  if (n === null) return '-';
  return Math.round(n).toLocaleString('en-US');
}

/** A signed percentage with one decimal (+8.1%, -2.0%), or `-`. */
export function formatSignedPercent(p: number | null): string {
  if (p === null) return '-';
  const v = Math.round(p * 10) / 10;
  return `${v > 0 ? '+' : ''}${v.toFixed(1)}%`;
}

/** A spread (always >= 0) as `12%`, `1.5%` or `-` when there is none. */
export function formatSpread(p: number | null): string {
  if (p === null) return '-';
  return p >= 10 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

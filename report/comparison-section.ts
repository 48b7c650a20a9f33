/**
 * The report body's "Compared with" section (report/sections.ts): for each run this one was compared
 * with (the schedule's run before it, the pinned baseline), a callout saying whether it regressed, the
 * breaches, and every compared figure with both values, the change, its threshold and the outcome.
 * Pure; report.md and report.html print it through the shared section model.
 */
import type { Cell, Section } from './sections.ts';
import type { RunComparison } from './types.ts';

const AGAINST_WORDS: Record<RunComparison['against']['kind'], string> = {
  previous: 'the run before it',
  baseline: 'the pinned baseline',
};

function outcomeCell(row: RunComparison['rows'][number]): Cell {
  if (row.regressed) return { text: 'REGRESSED', tone: 'bad' };
  return row.threshold === null ? { text: 'not checked', tone: 'muted' } : { text: 'ok', tone: 'good' };
}

/** The section, or undefined when the report was never compared. */
export function comparisonSection(comparisons: readonly RunComparison[] | undefined): Section | undefined {
  if (!comparisons || comparisons.length === 0) return undefined;
  const callouts = comparisons.map((c) => ({
    tone: c.regressed ? ('bad' as const) : ('good' as const),
    text: `${c.regressed ? 'Regressed' : 'No regression'} against ${AGAINST_WORDS[c.against.kind]}, ${c.against.name} (report ${c.against.configMap}, compared ${c.comparedAt})${
      c.regressed ? `: ${c.breaches.length} threshold(s) breached.` : ': no threshold breached.'
    }`,
  }));
  return {
    id: 'comparison',
    title: 'Compared with earlier runs',
    callouts,
    tables: comparisons.map((c) => ({
      caption: `A: ${c.against.name} (${AGAINST_WORDS[c.against.kind]}); B: this run`,
      head: ['figure', 'A', 'B', 'change', 'threshold', 'outcome'],
      rows: c.rows.map((r) => [
        r.label,
        r.a,
        r.b,
        r.change,
        r.threshold ?? { text: '—', tone: 'muted' },
        outcomeCell(r),
      ]),
    })),
    list: comparisons.flatMap((c) => c.breaches.map((b) => `${c.against.name}: ${b}`)),
    notes: ['Thresholds are the schedule’s spec.regression; a figure without one is shown but not checked.'],
  };
}

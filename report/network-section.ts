/**
 * The report's "Network faults: what each side knew" section, one row per fault: the producers'
 * signals, the collector's and the truth from the books, with the game day's sentence. Pure; called by
 * report/sections.ts for both report.md and report.html.
 */
import { ARM_LABELS, formatFigure } from './format.ts';
import type { Cell, Section, Table } from './sections.ts';
import type { Figure, NetworkResult } from './types.ts';

const cell = (f: Figure | undefined): Cell =>
  !f || f.value === null ? { text: formatFigure(f), tone: 'muted' } : formatFigure(f);

/** The section; `section` is sections.ts's constructor, so the shape stays one. */
export function networkSection(
  n: NetworkResult,
  section: (id: string, title: string, parts: Partial<Section>) => Section,
): Section {
  const knew: Table = {
    caption: 'What each side knew while the fault lasted, and the truth from the books',
    head: [
      'fault',
      'arm',
      'from → until',
      'producers: send errors / failed exports / retries',
      'collector: up == 0 / refused / arrived',
      'truth: dropped on the path',
      'after the heal',
      'who knew',
    ],
    rows: n.faults.map((f) => [
      `${f.index}: ${f.kind} (${f.direction})`,
      ARM_LABELS[f.arm],
      f.from ? `${f.from} → ${f.until ?? 'not healed'}` : { text: 'not applied', tone: 'muted' },
      `${formatFigure(f.producers.sendErrors)} / ${formatFigure(f.producers.exportsFailed)} / ${formatFigure(f.producers.retries)}`,
      `${formatFigure(f.collector.upZeroScrapes)} / ${formatFigure(f.collector.refusedPoints)} / ${formatFigure(f.collector.arrived)}`,
      cell(f.dropped),
      f.duplicates
        ? `${formatFigure(f.collector.arrivedAfterHeal)} accepted; duplicates ${formatFigure(f.duplicates)}`
        : f.heldEveryEvent !== undefined
          ? f.heldEveryEvent
            ? {
                text: `counters hold every event; longest scrape gap ${formatFigure(f.scrapeGapSeconds)}`,
                tone: 'good',
              }
            : {
                text: `counters miss events; longest scrape gap ${formatFigure(f.scrapeGapSeconds)}`,
                tone: 'bad',
              }
          : cell(f.collector.arrivedAfterHeal),
      f.knew === 'neither' ? { text: 'neither', tone: 'bad' } : f.knew,
    ]),
  };
  const sources: Table = {
    caption: 'Sources',
    head: ['fault', 'dropped', 'producers', 'collector'],
    rows: n.faults.map((f) => [
      String(f.index),
      { code: f.dropped.missing ?? f.dropped.source },
      { code: f.producers.sendErrors.source },
      { code: f.collector.arrived.missing ?? f.collector.arrived.source },
    ]),
  };
  return section('network', 'Network faults: what each side knew', {
    callouts: [{ tone: 'muted', text: n.sentence }],
    notes: [`Layout: ${n.layout} — ${n.reason}.`],
    list: n.faults.length > 1 ? n.faults.map((f) => f.sentence) : [],
    tables: [knew, sources],
  });
}

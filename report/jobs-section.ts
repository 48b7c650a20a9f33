/**
 * The report's section on short-lived jobs (report.json `jobs`): per batch what its jobs generated and
 * what the collector kept, and for the Pushgateway its groups at the cut-off — still served, `up` 1,
 * how old each push was, what the stale-group alert said, the renamed batch's old groups. Pure; built
 * into the body by sections.ts, so report.md and report.html show the same figures with their sources.
 */
import { formatFigure, formatSeconds } from './format.ts';
import { type Cell, type Section, section, type Table, valueCell } from './sections.ts';
import type { Figure, JobBatchResult, ShortLivedJobs } from './types.ts';

const PATH_LABELS: Record<JobBatchResult['path'], string> = {
  'pull-direct': 'pull direct',
  pushgateway: 'Pushgateway',
  statsd: 'StatsD',
  otlp: 'OTLP',
};

const code = (f: Figure): Cell => ({ code: f.missing ?? f.source });

function captureTable(batches: readonly JobBatchResult[]): Table {
  return {
    caption: 'Capture: events the collector recorded / events the jobs generated (their own ledgers)',
    head: [
      'batch',
      'path',
      'jobs',
      'life',
      'scrape interval',
      'jobs captured',
      'generated',
      'recorded',
      'capture rate',
      'source',
    ],
    rows: batches.map((b) => [
      b.name,
      PATH_LABELS[b.path],
      formatFigure(b.jobsRun),
      formatSeconds(b.lifetimeSeconds),
      b.scrapeIntervalSeconds === null ? '—' : formatSeconds(b.scrapeIntervalSeconds),
      valueCell(b.jobsCaptured),
      valueCell(b.eventsGenerated),
      valueCell(b.eventsRecorded),
      valueCell(b.captureRate),
      code(b.eventsRecorded),
    ]),
  };
}

function pushgatewayTables(b: JobBatchResult): Table[] {
  const pg = b.pushgateway;
  if (!pg) return [];
  const rows: Array<[string, Figure]> = [
    ['groups still served', pg.groupsServed],
    ['up of the Pushgateway', pg.upAtCutOff],
    ['staleness min (time() - push_time_seconds)', pg.stalenessSecondsMin],
    ['staleness max', pg.stalenessSecondsMax],
    [`groups ${pg.alert} fired for (> ${formatSeconds(pg.alertAfterSeconds)})`, pg.groupsAlerting],
    ...(pg.renamed
      ? ([
          [`groups of the old name ${pg.renamed.oldJob}`, pg.renamed.oldGroupsServed],
          [`events the old name still served`, pg.renamed.oldEventsServed],
        ] as Array<[string, Figure]>)
      : []),
  ];
  return [
    {
      caption: `Pushgateway, batch ${b.name}, at the cut-off: what a dead job looked like`,
      head: ['figure', 'value', 'source'],
      rows: rows.map(([label, f]) => [label, valueCell(f), code(f)]),
    },
    {
      caption: `Pushgateway groups of ${b.name} at the cut-off`,
      head: ['job', 'instance', 'last pushed (s ago)', 'events served'],
      rows: pg.groups.map((g) => [
        g.job,
        g.instance,
        formatSeconds(g.ageSeconds),
        g.eventsServed === null ? { text: 'not read', tone: 'muted' } : String(g.eventsServed),
      ]),
    },
  ];
}

/** The section. */
export function jobsSection(jobs: ShortLivedJobs): Section {
  return section('jobs', 'Game day: short-lived jobs', {
    callouts: [{ tone: 'muted', text: jobs.sentence }],
    tables: [captureTable(jobs.batches), ...jobs.batches.flatMap(pushgatewayTables)],
    notes: [
      'A pull-direct job is scraped only if a scrape falls within its life; a Pushgateway group has no TTL, so after its job is gone it is served, with up 1, until someone deletes it.',
    ],
  });
}

/**
 * The catalogue of report figures that have a stable name: how each is read from report.json, its unit
 * and what it means. The spec's `expect` thresholds name figures from here (api/v1alpha1/schema.ts
 * turns the names into an enum, so a misspelt figure fails validation and `kubectl apply` alike),
 * report/expectations.ts evaluates them and report/compare.ts compares them run to run. Pure, and
 * imports report.json's types only, so the spec schema can import it without a cycle at run time.
 */
import type { ArmName, JobPath } from '../api/v1alpha1/schema.ts';
import { FIGURE_NAMES, type FigureName } from './figure-names.ts';
import type { Figure, JobBatchResult, Report } from './types.ts';

/** One named figure. */
export interface FigureDef {
  /** The arm whose result holds it ('rig' figures exist in every report). */
  arm: ArmName | 'rig';
  /** Short display name for tables. */
  label: string;
  unit: Figure['unit'];
  /** What it measures, for docs/spec.md. */
  description: string;
  /** The figure in `report`; undefined when the report has no such arm. */
  read: (report: Report) => Figure | undefined;
}

/** OTLP refused + failed points: what the collector did not take, summed. */
function otlpRefusedPlusFailed(r: Report): Figure | undefined {
  const o = r.arms.otlp;
  if (!o) return undefined;
  const source = `${o.pointsRefused.source} + ${o.pointsFailed.source}`;
  if (o.pointsRefused.value === null || o.pointsFailed.value === null) {
    return { value: null, unit: 'points', source, missing: 'refused or failed points are missing' };
  }
  return { value: o.pointsRefused.value + o.pointsFailed.value, unit: 'points', source };
}

/** Pull scrape duration p99 as a fraction of the spec's scrape timeout (1 = at the timeout). */
function scrapeP99OverTimeout(r: Report): Figure | undefined {
  const pull = r.arms.pull;
  const timeout = r.experiment.spec.arms.pull?.scrapeTimeoutSeconds;
  if (!pull || timeout === undefined) return undefined;
  const p99 = pull.scrapeDurationSeconds.p99;
  const source = `(${p99.source}) / spec.arms.pull.scrapeTimeoutSeconds (${timeout} s)`;
  if (p99.value === null) {
    return { value: null, unit: 'ratio', source, missing: `scrape duration p99 is missing: ${p99.missing}` };
  }
  return { value: p99.value / timeout, unit: 'ratio', source };
}

/** The batches of short-lived jobs of one path in the report. */
function batchesOf(r: Report, path: JobPath): JobBatchResult[] {
  return (r.jobs?.batches ?? []).filter((b) => b.path === path);
}

/** Over every batch of `path`: events recorded / events generated, each summed. */
function jobsCaptureRate(r: Report, path: JobPath): Figure {
  const batches = batchesOf(r, path);
  const source = `sum of jobs[path=${path}].eventsRecorded / sum of jobs[path=${path}].eventsGenerated`;
  if (batches.length === 0) {
    return { value: null, unit: 'ratio', source, missing: `the run had no short-lived jobs of path ${path}` };
  }
  const missing = batches.find((b) => b.eventsRecorded.value === null || b.eventsGenerated.value === null);
  if (missing) {
    return {
      value: null,
      unit: 'ratio',
      source,
      missing: `batch ${missing.name}: ${missing.captureRate.missing}`,
    };
  }
  const generated = batches.reduce((n, b) => n + (b.eventsGenerated.value ?? 0), 0);
  const recorded = batches.reduce((n, b) => n + (b.eventsRecorded.value ?? 0), 0);
  if (generated === 0) return { value: null, unit: 'ratio', source, missing: 'the jobs generated no events' };
  return { value: recorded / generated, unit: 'ratio', source };
}

/** The freshest Pushgateway group's age at the cut-off, over every pushgateway batch: > 0 means all stale. */
function pushgatewayStalenessMin(r: Report): Figure {
  const figures = batchesOf(r, 'pushgateway').map((b) => b.pushgateway?.stalenessSecondsMin);
  const source = 'min of jobs[path=pushgateway].pushgateway.stalenessSecondsMin';
  if (figures.length === 0) {
    return {
      value: null,
      unit: 'seconds',
      source,
      missing: 'the run had no short-lived jobs of path pushgateway',
    };
  }
  const missing = figures.find((f) => !f || f.value === null);
  if (missing !== undefined) {
    return { value: null, unit: 'seconds', source, missing: missing?.missing ?? 'not measured' };
  }
  return { value: Math.min(...figures.map((f) => f!.value!)), unit: 'seconds', source };
}

/** Every named figure; the order is the order reports and docs list them in. */
export const FIGURES = {
  'pull.scrapeDurationSeconds.p50': {
    arm: 'pull',
    label: 'pull scrape duration p50',
    unit: 'seconds',
    description: 'Median scrape duration across targets.',
    read: (r) => r.arms.pull?.scrapeDurationSeconds.p50,
  },
  'pull.scrapeDurationSeconds.p99': {
    arm: 'pull',
    label: 'pull scrape duration p99',
    unit: 'seconds',
    description: '99th percentile scrape duration across targets.',
    read: (r) => r.arms.pull?.scrapeDurationSeconds.p99,
  },
  'pull.scrapeDurationSeconds.max': {
    arm: 'pull',
    label: 'pull scrape duration max',
    unit: 'seconds',
    description: 'Longest scrape.',
    read: (r) => r.arms.pull?.scrapeDurationSeconds.max,
  },
  'pull.scrapeP99OverTimeout': {
    arm: 'pull',
    label: 'pull scrape p99 / timeout',
    unit: 'ratio',
    description: 'Scrape duration p99 divided by scrapeTimeoutSeconds (0.5 = half the timeout).',
    read: scrapeP99OverTimeout,
  },
  'pull.scrapesOverHalfTimeout': {
    arm: 'pull',
    label: 'pull scrapes over half the timeout',
    unit: 'count',
    description: 'Scrapes that took more than half of scrapeTimeoutSeconds.',
    read: (r) => r.arms.pull?.scrapesOverHalfTimeout,
  },
  'pull.scrapesOverTimeout': {
    arm: 'pull',
    label: 'pull scrapes over the timeout',
    unit: 'count',
    description: 'Scrapes that hit scrapeTimeoutSeconds.',
    read: (r) => r.arms.pull?.scrapesOverTimeout,
  },
  'pull.upZeroSamples': {
    arm: 'pull',
    label: 'pull up == 0 samples',
    unit: 'count',
    description: 'Samples of `up == 0` across targets during the load.',
    read: (r) => r.arms.pull?.upZeroSamples,
  },
  'pull.bodySizeBytes.max': {
    arm: 'pull',
    label: 'pull body size max',
    unit: 'bytes',
    description: 'Largest /metrics body scraped.',
    read: (r) => r.arms.pull?.bodySizeBytes.max,
  },
  'pull.sampleLimitBreaches': {
    arm: 'pull',
    label: 'pull sample_limit breaches',
    unit: 'count',
    description: 'Scrapes rejected by sample_limit.',
    read: (r) => r.arms.pull?.sampleLimitBreaches,
  },
  'pull.bodySizeLimitBreaches': {
    arm: 'pull',
    label: 'pull body_size_limit breaches',
    unit: 'count',
    description: 'Scrapes rejected by body_size_limit.',
    read: (r) => r.arms.pull?.bodySizeLimitBreaches,
  },
  'pull.eventsSeen': {
    arm: 'pull',
    label: 'pull events seen',
    unit: 'events',
    description: 'Sum of orders_total the subject Prometheus saw at the cut-off.',
    read: (r) => r.arms.pull?.eventsSeen,
  },
  'statsd.books.sent': {
    arm: 'statsd',
    label: 'StatsD datagrams sent',
    unit: 'datagrams',
    description: 'Datagrams the producers sent (their ledgers).',
    read: (r) => r.arms.statsd?.books.sent,
  },
  'statsd.books.kernelDrops': {
    arm: 'statsd',
    label: 'StatsD kernel drops',
    unit: 'datagrams',
    description: "Datagrams the kernel dropped at statsd_exporter's socket.",
    read: (r) => r.arms.statsd?.books.kernelDrops,
  },
  'statsd.books.collectorQueueDrops': {
    arm: 'statsd',
    label: 'StatsD queue drops',
    unit: 'datagrams',
    description: "Datagrams dropped by statsd_exporter's own queue.",
    read: (r) => r.arms.statsd?.books.collectorQueueDrops,
  },
  'statsd.books.networkDrops': {
    arm: 'statsd',
    label: 'StatsD network drops',
    unit: 'datagrams',
    description:
      "Datagrams the game day's network faults dropped on the StatsD path (their nft rule counters); 0 when no fault was on the path.",
    read: (r) => {
      const b = r.arms.statsd?.books;
      if (!b) return undefined;
      return (
        b.networkDrops ?? {
          value: 0,
          unit: 'datagrams',
          source: 'no network fault was on the StatsD path (spec.networkFaults), so no rule dropped any',
        }
      );
    },
  },
  'statsd.books.unaccounted': {
    arm: 'statsd',
    label: 'StatsD unaccounted',
    unit: 'datagrams',
    description: 'Sent minus received minus drops; anything but 0 is a rig fault.',
    read: (r) => r.arms.statsd?.books.unaccounted,
  },
  'statsd.lossRatio': {
    arm: 'statsd',
    label: 'StatsD loss ratio',
    unit: 'ratio',
    description: 'Datagrams lost / sent (0.001 = 0.1%).',
    read: (r) => r.arms.statsd?.lossRatio,
  },
  'statsd.peakDatagramsPer100ms': {
    arm: 'statsd',
    label: 'StatsD peak datagrams/100 ms',
    unit: 'per100ms',
    description: 'Most datagrams the fleet sent in one wall-clock 100 ms slot.',
    read: (r) => r.arms.statsd?.peakDatagramsPer100ms,
  },
  'otlp.pointsExported': {
    arm: 'otlp',
    label: 'OTLP points exported',
    unit: 'points',
    description: 'Points the producers exported (their ledgers).',
    read: (r) => r.arms.otlp?.pointsExported,
  },
  'otlp.pointsRefused': {
    arm: 'otlp',
    label: 'OTLP points refused',
    unit: 'points',
    description: 'Points the collector refused.',
    read: (r) => r.arms.otlp?.pointsRefused,
  },
  'otlp.pointsFailed': {
    arm: 'otlp',
    label: 'OTLP points failed',
    unit: 'points',
    description: 'Points whose export failed at the producer.',
    read: (r) => r.arms.otlp?.pointsFailed,
  },
  'otlp.refusedPlusFailed': {
    arm: 'otlp',
    label: 'OTLP refused + failed points',
    unit: 'points',
    description: 'Refused plus failed points: what the collector did not take.',
    read: otlpRefusedPlusFailed,
  },
  'otlp.exportsFailed': {
    arm: 'otlp',
    label: 'OTLP failed exports',
    unit: 'count',
    description: 'Export calls that failed.',
    read: (r) => r.arms.otlp?.exportsFailed,
  },
  'otlp.exportLatencySeconds.p99': {
    arm: 'otlp',
    label: 'OTLP export latency p99',
    unit: 'seconds',
    description: '99th percentile export call latency.',
    read: (r) => r.arms.otlp?.exportLatencySeconds.p99,
  },
  'otlp.retries': {
    arm: 'otlp',
    label: 'OTLP retries',
    unit: 'count',
    description: 'Export retries.',
    read: (r) => r.arms.otlp?.retries,
  },
  'pull.jobs.pullDirectCaptureRate': {
    arm: 'pull',
    label: 'pull-direct jobs capture rate',
    unit: 'ratio',
    description:
      'Short-lived jobs of path pull-direct: events the subject Prometheus scraped from them over events they generated (their ledgers), all batches together.',
    read: (r) => jobsCaptureRate(r, 'pull-direct'),
  },
  'pull.jobs.pushgatewayCaptureRate': {
    arm: 'pull',
    label: 'Pushgateway jobs capture rate',
    unit: 'ratio',
    description:
      'Short-lived jobs of path pushgateway: events recorded through the Pushgateway over events generated.',
    read: (r) => jobsCaptureRate(r, 'pushgateway'),
  },
  'pull.jobs.pushgatewayStalenessSecondsMin': {
    arm: 'pull',
    label: 'Pushgateway staleness at cut-off (freshest group)',
    unit: 'seconds',
    description:
      'time() - push_time_seconds of the most recently pushed group at the cut-off: how long every gone job had still looked alive, at least.',
    read: pushgatewayStalenessMin,
  },
  'statsd.jobs.captureRate': {
    arm: 'statsd',
    label: 'StatsD jobs capture rate',
    unit: 'ratio',
    description: 'Short-lived jobs of path statsd (flush on exit): events recorded over events generated.',
    read: (r) => jobsCaptureRate(r, 'statsd'),
  },
  'otlp.jobs.captureRate': {
    arm: 'otlp',
    label: 'OTLP jobs capture rate',
    unit: 'ratio',
    description: 'Short-lived jobs of path otlp (SDK shutdown flush): events recorded over events generated.',
    read: (r) => jobsCaptureRate(r, 'otlp'),
  },
  'rig.scheduleLagMaxEvents': {
    arm: 'rig',
    label: 'rig schedule lag max',
    unit: 'events',
    description: 'Most events any producer fell behind its schedule (the rig itself, not a collector).',
    read: (r) => r.rig.scheduleLagMaxEvents,
  },
} as const satisfies Record<FigureName, FigureDef>;

export { FIGURE_NAMES, type FigureName };

/** The figure `name` in `report`, or a missing figure saying the run had no such arm. */
export function readFigure(report: Report, name: FigureName): Figure {
  const def: FigureDef = FIGURES[name];
  const figure = def.read(report);
  if (figure) return figure;
  return {
    value: null,
    unit: def.unit,
    source: name,
    missing: `the report has no ${def.arm} arm`,
  };
}

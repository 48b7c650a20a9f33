/**
 * The names of the report figures the catalogue (report/figures.ts) defines, as a plain list: the spec's
 * schema turns them into the `expect` enum. Kept apart from the catalogue, whose readers take report.json's
 * types, because report.json embeds the spec: one module holding both would make the two schemas' types
 * depend on each other. The catalogue is typed `satisfies Record<FigureName, FigureDef>`, so the type check
 * fails when the list and the catalogue do not name the same figures.
 */
export const FIGURE_NAMES = [
  'pull.scrapeDurationSeconds.p50',
  'pull.scrapeDurationSeconds.p99',
  'pull.scrapeDurationSeconds.max',
  'pull.scrapeP99OverTimeout',
  'pull.scrapesOverHalfTimeout',
  'pull.scrapesOverTimeout',
  'pull.upZeroSamples',
  'pull.bodySizeBytes.max',
  'pull.sampleLimitBreaches',
  'pull.bodySizeLimitBreaches',
  'pull.eventsSeen',
  'statsd.books.sent',
  'statsd.books.kernelDrops',
  'statsd.books.collectorQueueDrops',
  'statsd.books.networkDrops',
  'statsd.books.unaccounted',
  'statsd.lossRatio',
  'statsd.peakDatagramsPer100ms',
  'otlp.pointsExported',
  'otlp.pointsRefused',
  'otlp.pointsFailed',
  'otlp.refusedPlusFailed',
  'otlp.exportsFailed',
  'otlp.exportLatencySeconds.p99',
  'otlp.retries',
  'pull.jobs.pullDirectCaptureRate',
  'pull.jobs.pushgatewayCaptureRate',
  'pull.jobs.pushgatewayStalenessSecondsMin',
  'statsd.jobs.captureRate',
  'otlp.jobs.captureRate',
  'rig.scheduleLagMaxEvents',
] as const;

/** A figure's name, e.g. `statsd.lossRatio`. */
export type FigureName = (typeof FIGURE_NAMES)[number];

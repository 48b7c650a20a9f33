/**
 * The chart contract between the measurement step (which emits `report.charts`) and report.html
 * (which draws them): every chart, the series ids it draws, their units, and which arm must be in the
 * run for the chart to appear. docs/report.md lists it for writers (rendered by report/reference.ts).
 */
import type { ArmName } from '../api/v1alpha1/schema.ts';

/** How a chart's y values are printed on its axis. */
export type ChartYFormat = 'number' | 'seconds' | 'bytes';

export interface ChartSeriesSpec {
  id: string;
  /** A required id with no points gets a visible "no data: <reason>" note; an optional one is left out. */
  required: boolean;
}

export interface ChartSpec {
  /** Stable key, used as the SVG element id (`chart-<key>`). */
  key: string;
  title: string;
  /** The y axis' quantity; for seconds and bytes report.html appends the unit its ticks use, e.g. "(ms)". */
  yLabel: string;
  yFormat: ChartYFormat;
  series: ChartSeriesSpec[];
  /** The chart appears when this arm is in the run; null: always; 'optional': only when it has data. */
  needs: ArmName | null | 'optional';
}

/** Every chart of report.html, in page order. */
export const CHARTS: readonly ChartSpec[] = [
  {
    key: 'events',
    title: 'Event rate',
    yLabel: 'events/s',
    yFormat: 'number',
    series: [{ id: 'events-rate', required: true }],
    needs: null,
  },
  {
    key: 'scrape-duration',
    title: 'Scrape duration p50 / p99 / max',
    yLabel: 'scrape duration',
    yFormat: 'seconds',
    series: [
      { id: 'scrape-duration-p50', required: true },
      { id: 'scrape-duration-p99', required: true },
      { id: 'scrape-duration-max', required: true },
    ],
    needs: 'pull',
  },
  {
    key: 'targets-down',
    title: 'Targets down (up == 0)',
    yLabel: 'targets',
    yFormat: 'number',
    series: [{ id: 'targets-down', required: true }],
    needs: 'pull',
  },
  {
    key: 'body-size',
    title: '/metrics body size',
    yLabel: 'body size',
    yFormat: 'bytes',
    series: [
      { id: 'body-size-max', required: true },
      { id: 'body-size-p50', required: false },
    ],
    needs: 'pull',
  },
  {
    key: 'statsd-datagrams',
    title: 'StatsD datagrams sent vs received',
    yLabel: 'datagrams/s',
    yFormat: 'number',
    series: [
      { id: 'statsd-sent-rate', required: true },
      { id: 'statsd-received-rate', required: true },
    ],
    needs: 'statsd',
  },
  {
    // The sender's side of the burst: synchronised flushes stack up in one slot, fleet-wide.
    key: 'statsd-sent-per-100ms',
    title: 'StatsD datagrams sent per 100 ms (fleet, wall-clock slots)',
    yLabel: 'datagrams/100 ms',
    yFormat: 'number',
    series: [{ id: 'statsd-sent-per-100ms', required: false }],
    needs: 'optional',
  },
  {
    key: 'statsd-drops',
    title: 'StatsD drops over time (cumulative)',
    yLabel: 'datagrams',
    yFormat: 'number',
    series: [
      { id: 'kernel-drops', required: true },
      { id: 'collector-queue-drops', required: false },
    ],
    needs: 'statsd',
  },
  {
    key: 'otlp-points',
    title: 'OTLP points exported vs accepted',
    yLabel: 'points/s',
    yFormat: 'number',
    series: [
      { id: 'otlp-points-rate', required: true },
      { id: 'otlp-accepted-rate', required: false },
    ],
    needs: 'otlp',
  },
  {
    key: 'otlp-errors',
    title: 'OTLP refused and failed points (cumulative)',
    yLabel: 'points',
    yFormat: 'number',
    series: [
      { id: 'otlp-refused', required: true },
      { id: 'otlp-failed', required: false },
    ],
    needs: 'otlp',
  },
  {
    key: 'schedule-lag',
    title: 'Rig schedule lag',
    yLabel: 'events behind',
    yFormat: 'number',
    series: [{ id: 'schedule-lag', required: true }],
    needs: 'optional',
  },
];

/** Every series id the charts read. */
export const CHART_SERIES_IDS: readonly string[] = CHARTS.flatMap((c) => c.series.map((s) => s.id));

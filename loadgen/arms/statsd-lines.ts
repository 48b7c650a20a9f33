/**
 * The StatsD wire format the statsd arm sends, as pure functions. DogStatsD tags, which statsd_exporter
 * parses into Prometheus labels:
 *
 *   orders:1|c|#region:us-east-1,symbol:AAAA,route:direct,status:filled
 *   order_latency:4.123|ms|#region:us-east-1,symbol:AAAA,route:direct
 *   order_latency:4.1:0.87:12.5|ms|#region:us-east-1,symbol:AAAA,route:direct   (aggregated mode)
 *
 * The last form is DogStatsD's multi-value extension (statsd_exporter splits it into one observation per
 * value) and is how a producer that aggregates in memory ships its buffered latencies. Timers are in
 * milliseconds; statsd_exporter divides `ms` timers by 1000 into seconds. Counters with aggregation carry
 * the summed value: `orders:17|c|#...`.
 */
import type { Series } from '../../api/v1alpha1/schema.ts';
import type { LabelVocabulary } from '../labels.ts';
import { counterSeriesIndex, histogramSeriesIndex, type OrderEvent } from '../order-events.ts';

export const COUNTER_NAME = 'orders';
export const TIMER_NAME = 'order_latency';

/** DogStatsD tag lists, per series, as hot-shots takes them (`key:value` strings). */
export interface StatsdTagTables {
  counter: string[][];
  timer: string[][];
}

/** Builds the tag lists for every counter and timer series the schedule can reach. */
export function statsdTagTables(series: Series, vocabulary: LabelVocabulary): StatsdTagTables {
  const counter: string[][] = [];
  const timer: string[][] = [];
  const e: OrderEvent = { region: 0, symbol: 0, route: 0, status: 0, latencySeconds: 0 };
  for (e.symbol = 0; e.symbol < vocabulary.symbols.length; e.symbol++) {
    const symbol = `symbol:${vocabulary.symbols[e.symbol]}`;
    for (e.region = 0; e.region < series.regions; e.region++) {
      const region = `region:${vocabulary.regions[e.region]}`;
      for (e.route = 0; e.route < series.routes; e.route++) {
        const route = `route:${vocabulary.routes[e.route]}`;
        timer[histogramSeriesIndex(series, e)] = [region, symbol, route];
        for (e.status = 0; e.status < series.statuses; e.status++) {
          counter[counterSeriesIndex(series, e)] = [
            region,
            symbol,
            route,
            `status:${vocabulary.statuses[e.status]}`,
          ];
        }
      }
    }
  }
  return { counter, timer };
}

/** A latency in seconds as StatsD timer milliseconds, rounded to the microsecond (short lines). */
export function timerMillis(latencySeconds: number): number {
  return Math.round(latencySeconds * 1_000_000) / 1000;
}

/**
 * Packs `values` (milliseconds) for one timer series into multi-value lines of at most `maxBytes` each
 * (a line always holds at least one value, so a tiny limit degrades to one value per line).
 */
export function multiValueTimerLines(
  tags: readonly string[],
  values: readonly number[],
  maxBytes: number,
): string[] {
  const head = `${TIMER_NAME}:`;
  const tail = `|ms|#${tags.join(',')}`;
  const lines: string[] = [];
  let line = '';
  for (const v of values) {
    const part = String(v);
    if (line !== '' && head.length + line.length + 1 + part.length + tail.length > maxBytes) {
      lines.push(head + line + tail);
      line = '';
    }
    line = line === '' ? part : `${line}:${part}`;
  }
  if (line !== '') lines.push(head + line + tail);
  return lines;
}

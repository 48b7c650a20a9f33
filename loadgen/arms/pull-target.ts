/**
 * One pull target: a prom-client Registry of its own holding `orders_total{region,symbol,route,status}` and
 * `order_latency_seconds{region,symbol,route}`. Kept apart from the HTTP server (pull.ts) so tests can render
 * the real exposition text and measure body sizes without a socket. No default process metrics: the body is
 * the application's series only, sized by the spec. The label tables are shared with the otlp arm, so both
 * arms carry the same label sets.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import type { Series } from '../../api/v1alpha1/schema.ts';
import type { LabelVocabulary } from '../labels.ts';
import { counterSeriesIndex, histogramSeriesIndex, type OrderEvent } from '../order-events.ts';

type CounterLabels = { region: string; symbol: string; route: string; status: string };
type HistogramLabels = { region: string; symbol: string; route: string };

/** Label objects shared by every target of a process, built once per combination. */
export interface PullLabelTables {
  /** By counterSeriesIndex; symbol-major, so symbols [0, s) are the first s * perSymbol entries. */
  counter: CounterLabels[];
  /** By histogramSeriesIndex; symbol-major as well. */
  histogram: HistogramLabels[];
}

/** Builds the label tables for every combination the schedule can reach. */
export function pullLabelTables(series: Series, vocabulary: LabelVocabulary): PullLabelTables {
  const counter: CounterLabels[] = [];
  const histogram: HistogramLabels[] = [];
  const e: OrderEvent = { region: 0, symbol: 0, route: 0, status: 0, latencySeconds: 0 };
  for (e.symbol = 0; e.symbol < vocabulary.symbols.length; e.symbol++) {
    const symbol = vocabulary.symbols[e.symbol]!;
    for (e.region = 0; e.region < series.regions; e.region++) {
      const region = vocabulary.regions[e.region]!;
      for (e.route = 0; e.route < series.routes; e.route++) {
        const route = vocabulary.routes[e.route]!;
        histogram[histogramSeriesIndex(series, e)] = { region, symbol, route };
        for (e.status = 0; e.status < series.statuses; e.status++) {
          counter[counterSeriesIndex(series, e)] = {
            region,
            symbol,
            route,
            status: vocabulary.statuses[e.status]!,
          };
        }
      }
    }
  }
  return { counter, histogram };
}

/** One virtual producer's registry and metrics. */
export interface PullTarget {
  registry: Registry;
  record(event: OrderEvent): void;
  /** Creates the zero-valued series of symbols [0, symbols): what a symbol that starts trading exposes. */
  declareSymbols(symbols: number): void;
}

/**
 * The two metrics every pull target serves, registered in `registry`: the order counter and the
 * latency histogram. Shared with bench/ so the library-alone layer measures the very same metrics.
 */
export function createOrderMetrics(
  registry: Registry,
  buckets: readonly number[],
): {
  counter: Counter<'region' | 'symbol' | 'route' | 'status'>;
  histogram: Histogram<'region' | 'symbol' | 'route'>;
} {
  const counter = new Counter({
    name: 'orders_total',
    help: 'Order events handled, by region, symbol, route and status.',
    labelNames: ['region', 'symbol', 'route', 'status'] as const,
    registers: [registry],
  });
  const histogram = new Histogram({
    name: 'order_latency_seconds',
    help: 'Order latency in seconds, by region, symbol and route.',
    labelNames: ['region', 'symbol', 'route'] as const,
    buckets: [...buckets],
    registers: [registry],
  });
  return { counter, histogram };
}

/** Creates a target with no series yet; `declareSymbols` adds them. */
export function createPullTarget(
  series: Series,
  tables: PullLabelTables,
  buckets: readonly number[],
): PullTarget {
  const registry = new Registry();
  const { counter, histogram } = createOrderMetrics(registry, buckets);
  const counterPerSymbol = series.regions * series.routes * series.statuses;
  const histogramPerSymbol = series.regions * series.routes;
  let declared = 0;
  return {
    registry,
    record(event) {
      counter.inc(tables.counter[counterSeriesIndex(series, event)]!);
      histogram.observe(tables.histogram[histogramSeriesIndex(series, event)]!, event.latencySeconds);
    },
    declareSymbols(symbols) {
      const upTo = Math.min(symbols, tables.counter.length / counterPerSymbol);
      for (let i = declared * counterPerSymbol; i < upTo * counterPerSymbol; i++)
        counter.inc(tables.counter[i]!, 0);
      for (let i = declared * histogramPerSymbol; i < upTo * histogramPerSymbol; i++)
        histogram.zero(tables.histogram[i]!);
      declared = Math.max(declared, upTo);
    },
  };
}

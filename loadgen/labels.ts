/**
 * The label vocabulary of the producers' metrics, derived from the spec's `series` dimensions and the
 * phases' symbols, plus the latency histogram's bucket bounds. Every arm uses the same names and values, so
 * pull, StatsD and OTLP series are comparable one to one.
 *
 * Metrics (see docs in loadgen/arms/*.ts for each wire format):
 * - `orders_total{region,symbol,route,status}`: one count per order event;
 * - `order_latency_seconds{region,symbol,route}`: a histogram of the order's latency.
 * Both carry the symbol, so when symbols start trading at the open a target gains counter series and whole
 * histograms (buckets, sum, count): that is what makes a /metrics body balloon.
 */
import type { Series } from '../api/v1alpha1/schema.ts';

/** Label values by dimension; an event refers to them by index. */
export interface LabelVocabulary {
  regions: readonly string[];
  routes: readonly string[];
  statuses: readonly string[];
  /** All symbols the schedule ever uses (its largest `symbols`); a phase uses the first `symbols` of them. */
  symbols: readonly string[];
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-northeast-1'];
const ROUTES = ['direct', 'smart', 'dark-pool', 'iceberg', 'twap', 'vwap'];
const STATUSES = ['filled', 'rejected', 'cancelled', 'partial', 'expired'];

/** The first `n` names of `known`, then generated ones (`${prefix}-6`, ...), so any dimension size works. */
function names(known: readonly string[], prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => known[i] ?? `${prefix}-${i}`);
}

/** A ticker-like symbol for index i: four letters, e.g. 0 -> AAAA, 1 -> AAAB, 26 -> AABA. */
export function symbolName(i: number): string {
  let s = '';
  let v = i;
  for (let k = 0; k < 4; k++) {
    s = String.fromCharCode(65 + (v % 26)) + s;
    v = Math.floor(v / 26);
  }
  // More than 26^4 symbols never happens (the schema caps symbols at 100,000 < 456,976), but stay unique.
  return v > 0 ? `${s}${v}` : s;
}

/** Builds the vocabulary for a spec's series dimensions and its largest symbol count. */
export function labelVocabulary(series: Series, maxSymbols: number): LabelVocabulary {
  return {
    regions: names(REGIONS, 'region', series.regions),
    routes: names(ROUTES, 'route', series.routes),
    statuses: names(STATUSES, 'status', series.statuses),
    symbols: Array.from({ length: maxSymbols }, (_, i) => symbolName(i)),
  };
}

/**
 * Latency histogram upper bounds in seconds: `n` log-spaced bounds from 0.25 ms to 2.5 s, rounded to two
 * significant digits (readable `le` labels; the lognormal latencies live well inside this range).
 */
export function latencyBuckets(n: number): number[] {
  if (n === 1) return [0.01];
  const lo = 0.00025;
  const hi = 2.5;
  const bounds: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = lo * (hi / lo) ** (i / (n - 1));
    const rounded = Number(v.toPrecision(2));
    // Rounding can merge neighbours when n is large; bounds must stay strictly increasing.
    const last = bounds[bounds.length - 1];
    bounds.push(last !== undefined && rounded <= last ? Number(v.toPrecision(6)) : rounded);
  }
  return bounds;
}

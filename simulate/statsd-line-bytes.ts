/**
 * The sizes of the StatsD lines the statsd arm sends (loadgen/arms/statsd-lines.ts), from the label
 * vocabulary the producers use (loadgen/labels.ts): the average counter and timer line, and the bytes a
 * latency value takes in a multi-value timer line. The value length is the mean over latencies drawn
 * the way producers draw them (loadgen/order-events.ts), formatted by the arm's own timerMillis.
 */
import type { Series } from '../api/v1alpha1/schema.ts';
import { COUNTER_NAME, TIMER_NAME, timerMillis } from '../loadgen/arms/statsd-lines.ts';
import { labelVocabulary, symbolName } from '../loadgen/labels.ts';
import { LATENCY_MEDIAN_SECONDS, LATENCY_SIGMA } from '../loadgen/order-events.ts';
import { createPrng, deriveSeed } from '../loadgen/prng.ts';

/** Average sizes, in bytes, of the lines of one spec. */
export interface StatsdLineBytes {
  /** `orders:1|c|#region:…,symbol:…,route:…,status:…` with a one-digit count. */
  counterLine: number;
  /** `order_latency:` + `|ms|#region:…,symbol:…,route:…`: a timer line without its value(s). */
  timerFrame: number;
  /** One latency value, e.g. `4.123`. */
  timerValue: number;
}

const SAMPLES = 4096;

const mean = (xs: readonly string[]) => xs.reduce((n, x) => n + x.length, 0) / Math.max(1, xs.length);

/** Line sizes for `series`, with symbols named as the producers name them. */
export function statsdLineBytes(series: Series, seed: number): StatsdLineBytes {
  const v = labelVocabulary(series, 1);
  const symbol = symbolName(0).length;
  const tags3 =
    `region:`.length + mean(v.regions) + `,symbol:`.length + symbol + `,route:`.length + mean(v.routes);
  const prng = createPrng(deriveSeed(seed, 'simulate', 'latency'));
  let valueChars = 0;
  for (let i = 0; i < SAMPLES; i++) {
    valueChars += String(timerMillis(prng.lognormal(LATENCY_MEDIAN_SECONDS, LATENCY_SIGMA))).length;
  }
  return {
    counterLine: `${COUNTER_NAME}:1|c|#`.length + tags3 + `,status:`.length + mean(v.statuses),
    timerFrame: `${TIMER_NAME}:|ms|#`.length + tags3,
    timerValue: valueChars / SAMPLES,
  };
}
